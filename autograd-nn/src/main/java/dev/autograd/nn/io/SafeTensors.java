package dev.autograd.nn.io;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.autograd.array.NDArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format (as written by Hugging Face's {@code safetensors} and read by PyTorch): an 8-byte
 * little-endian header length, a JSON header mapping each tensor name to its dtype, shape and byte range, then the
 * raw little-endian data.
 *
 * <p>Writes are atomic: the file is written beside the target, forced to disk, then moved over it, so a crash never
 * leaves a half-written checkpoint in place of the old one. A SHA-256 over the header's content and the data section
 * is stored in the metadata ({@value #CHECKSUM_KEY}) and verified on read, so a flipped byte anywhere that matters is
 * detected, not just truncation. Files from other writers (without the checksum) are still validated structurally.
 */
public final class SafeTensors {
  public static final String CHECKSUM_KEY = "autograd.sha256";
  private static final String METADATA = "__metadata__";
  private static final long MAX_HEADER = 100L << 20;

  private SafeTensors() {}

  /** Tensors and string metadata of a file. */
  public record Contents(Map<String, NDArray> tensors, Map<String, String> metadata) {}

  /** Writes {@code tensors} (in map order) as F64 with {@code metadata}, atomically replacing {@code file}. */
  public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata) throws IOException {
    checkArgument(!tensors.containsKey(METADATA), "safetensors: '%s' is reserved", METADATA);
    ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(dataBytes(tensors))).order(ByteOrder.LITTLE_ENDIAN);
    JsonObject header = new JsonObject();
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
      long begin = data.position();
      for (double d : e.getValue().toArray()) {
        data.putDouble(d);
      }
      Entry entry = new Entry(e.getKey(), "F64", e.getValue().shape(), begin, data.position());
      entries.add(entry);
      header.add(entry.name, entry.toJson());
    }
    JsonObject meta = new JsonObject();
    metadata.forEach(meta::addProperty);
    meta.addProperty(CHECKSUM_KEY, digest(entries, metadata, data.array(), 0, data.capacity()));
    header.add(METADATA, meta);
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8; // the reference implementation aligns data to 8 bytes with spaces
    ByteBuffer prefix = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    prefix.putLong(padded).put(json);
    while (prefix.hasRemaining()) {
      prefix.put((byte) ' ');
    }
    writeAtomically(file, prefix.flip(), data.flip());
  }

  private static long dataBytes(Map<String, NDArray> tensors) {
    long n = 0;
    for (NDArray a : tensors.values()) {
      n += 8L * a.size();
    }
    return n;
  }

  private static void writeAtomically(Path file, ByteBuffer... parts) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        for (ByteBuffer part : parts) {
          while (part.hasRemaining()) {
            ch.write(part);
          }
        }
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Reads and validates a safetensors file: header size and JSON, every entry's dtype (F64 or F32, converted to
   * double), shape and byte range, contiguous coverage of the data section, exact file length, and the checksum
   * when present.
   *
   * @throws CorruptCheckpointException naming what is wrong
   */
  public static Contents read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length < 8) {
      throw new CorruptCheckpointException(file, "file is truncated: " + bytes.length
          + " bytes, shorter than the 8-byte header length");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength = buf.getLong();
    if (headerLength <= 0 || headerLength > MAX_HEADER || headerLength > bytes.length - 8) {
      throw new CorruptCheckpointException(file, "header length " + headerLength + " does not fit a file of "
          + bytes.length + " bytes (truncated or not a safetensors file)");
    }
    JsonObject header = parseHeader(file, new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
    int dataStart = 8 + (int) headerLength;
    int dataLength = bytes.length - dataStart;
    Map<String, String> metadata = new LinkedHashMap<>();
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<String, JsonElement> e : header.entrySet()) {
      if (e.getKey().equals(METADATA)) {
        e.getValue().getAsJsonObject().entrySet().forEach(m -> metadata.put(m.getKey(), m.getValue().getAsString()));
      } else {
        entries.add(Entry.parse(file, e.getKey(), e.getValue()));
      }
    }
    checkCoverage(file, entries, dataLength);
    String expected = metadata.remove(CHECKSUM_KEY);
    if (expected != null) {
      String actual = digest(entries, metadata, bytes, dataStart, dataLength);
      if (!expected.equals(actual)) {
        throw new CorruptCheckpointException(file, "checksum mismatch (stored " + expected + ", computed " + actual
            + "): the tensor names, shapes or data were altered or damaged");
      }
    }
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    for (Entry en : entries) {
      tensors.put(en.name, en.decode(buf, dataStart));
    }
    return new Contents(tensors, metadata);
  }

  private static JsonObject parseHeader(Path file, String json) throws CorruptCheckpointException {
    // strict: exactly one JSON object, only padding spaces after it
    try {
      com.google.gson.stream.JsonReader reader = new com.google.gson.stream.JsonReader(
          new java.io.StringReader(json.strip()));
      reader.setStrictness(com.google.gson.Strictness.STRICT);
      JsonElement root = JsonParser.parseReader(reader);
      if (reader.peek() != com.google.gson.stream.JsonToken.END_DOCUMENT) {
        throw new CorruptCheckpointException(file, "header has bytes after its JSON object (wrong header length?)");
      }
      if (!root.isJsonObject()) {
        throw new CorruptCheckpointException(file, "header is not a JSON object");
      }
      return root.getAsJsonObject();
    } catch (CorruptCheckpointException e) {
      throw e;
    } catch (JsonParseException | IllegalStateException | IOException e) {
      throw new CorruptCheckpointException(file, "header is not valid JSON (" + e.getMessage() + ")");
    }
  }

  /** The byte ranges must tile the data section exactly: no gap, no overlap, nothing missing at the end. */
  private static void checkCoverage(Path file, List<Entry> entries, int dataLength) throws IOException {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(en -> en.begin));
    long at = 0;
    for (Entry en : sorted) {
      if (en.begin != at) {
        throw new CorruptCheckpointException(file, "tensor '" + en.name + "' starts at byte " + en.begin
            + " of the data section, expected " + at + " (gap or overlap)");
      }
      at = en.end;
    }
    if (at > dataLength) {
      throw new CorruptCheckpointException(file, "file is truncated: the header describes " + at
          + " bytes of data but only " + dataLength + " follow");
    }
    if (at < dataLength) {
      throw new CorruptCheckpointException(file, (dataLength - at) + " unexpected bytes after the last tensor");
    }
  }

  private record Entry(String name, String dtype, int[] shape, long begin, long end) {
    static Entry parse(Path file, String name, JsonElement element) throws CorruptCheckpointException {
      try {
        JsonObject o = element.getAsJsonObject();
        String dtype = o.get("dtype").getAsString();
        int width = switch (dtype) {
          case "F64" -> 8;
          case "F32" -> 4;
          default -> throw new CorruptCheckpointException(file, "tensor '" + name + "' has dtype " + dtype
              + "; only F64 and F32 are supported");
        };
        JsonArray s = o.getAsJsonArray("shape");
        int[] shape = new int[s.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
          shape[i] = s.get(i).getAsInt();
          if (shape[i] < 0) {
            throw new CorruptCheckpointException(file, "tensor '" + name + "' has a negative dimension");
          }
          elements *= shape[i];
        }
        JsonArray off = o.getAsJsonArray("data_offsets");
        long begin = off.get(0).getAsLong();
        long end = off.get(1).getAsLong();
        if (begin < 0 || end - begin != elements * width) {
          throw new CorruptCheckpointException(file, "tensor '" + name + "' with shape "
              + java.util.Arrays.toString(shape) + " needs " + elements * width + " bytes but its offsets ["
              + begin + ", " + end + ") span " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end);
      } catch (NullPointerException | IllegalStateException | ClassCastException | IndexOutOfBoundsException
          | NumberFormatException | UnsupportedOperationException e) {
        throw new CorruptCheckpointException(file, "tensor '" + name + "' has a malformed header entry: " + element);
      }
    }

    JsonObject toJson() {
      JsonObject o = new JsonObject();
      o.addProperty("dtype", dtype);
      JsonArray s = new JsonArray();
      for (int d : shape) {
        s.add(d);
      }
      o.add("shape", s);
      JsonArray offsets = new JsonArray();
      offsets.add(begin);
      offsets.add(end);
      o.add("data_offsets", offsets);
      return o;
    }

    NDArray decode(ByteBuffer buf, int dataStart) {
      int n = (int) ((end - begin) / ("F64".equals(dtype) ? 8 : 4));
      double[] values = new double[n];
      int pos = dataStart + (int) begin;
      for (int i = 0; i < n; i++) {
        values[i] = "F64".equals(dtype) ? buf.getDouble(pos + 8 * i) : buf.getFloat(pos + 4 * i);
      }
      return NDArray.fromFlat(values, shape);
    }
  }

  /**
   * SHA-256 over everything a reader relies on: each entry's name, dtype, shape and offsets (sorted by name), the
   * metadata other than the checksum (sorted by key), then the data section.
   */
  private static String digest(List<Entry> entries, Map<String, String> metadata, byte[] data, int offset,
      int length) {
    Hasher h = Hashing.sha256().newHasher();
    entries.stream().sorted(Comparator.comparing(Entry::name)).forEach(en -> h
        .putString(en.name + '\0' + en.dtype + '\0' + java.util.Arrays.toString(en.shape) + '\0' + en.begin + '\0'
            + en.end + '\n', StandardCharsets.UTF_8));
    new java.util.TreeMap<>(metadata).forEach((k, v) -> h.putString(k + '\0' + v + '\n', StandardCharsets.UTF_8));
    h.putBytes(data, offset, length);
    return h.hash().toString();
  }
}
