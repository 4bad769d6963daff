package dev.autograd.nn.io;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.autograd.array.DType;
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
 * <p>Writes are atomic: the file is written beside the target (a temporary file named after it and this process),
 * forced to disk, then moved over it, so a crash never leaves a half-written checkpoint in place of the old one;
 * temporary files left by a process that died are removed by the next save or load beside them. A SHA-256 over each
 * tensor's name, dtype, shape and bytes, and the metadata, is stored in the metadata ({@value #CHECKSUM_KEY}) and
 * verified on read, so a flipped byte anywhere that matters is detected, while a file re-saved by another writer with
 * the same tensors in another layout still verifies. A file whose metadata has any {@code autograd.} key must carry a
 * valid checksum. Files from other writers (without one) are still validated structurally: every header entry, every
 * number in it, and the exact tiling of the data section.
 *
 * <p>Dtypes: float32 arrays are written as {@code F32} (4 bytes each) and float64 ones as {@code F64}, and read back
 * in their dtype, bit for bit (NaN payloads, infinities, −0.0 and subnormals included). {@link #read(Path)} also
 * reads what PyTorch writes: {@code F16} and {@code BF16} as float32 (each is exactly a float32, the dtype PyTorch
 * users convert half-precision weights to), {@code I64} and {@code I32} as float64 (exact up to 2^53, e.g.
 * {@code num_batches_tracked}); {@link #read(Path, DType)} converts every tensor to one dtype.
 */
public final class SafeTensors {
  /** The checksum over tensor contents (not their offsets). */
  public static final String CHECKSUM_KEY = "autograd.tensors.sha256";
  /** The checksum of files written before {@link #CHECKSUM_KEY}, over the header including offsets; still read. */
  private static final String LEGACY_CHECKSUM_KEY = "autograd.sha256";
  private static final String OUR_PREFIX = "autograd.";
  /** The largest file handled, as one Java array holds it. */
  private static final long MAX_FILE = Integer.MAX_VALUE - 8;
  static final String METADATA = "__metadata__";
  private static final long MAX_HEADER = 100L << 20;

  private SafeTensors() {}

  /** Tensors and string metadata of a file. */
  public record Contents(Map<String, NDArray> tensors, Map<String, String> metadata) {}

  /**
   * Writes {@code tensors} (in map order), each in its dtype (float32 as F32, float64 as F64), with
   * {@code metadata}, atomically replacing {@code file}.
   */
  public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata) throws IOException {
    checkArgument(!tensors.containsKey(METADATA), "safetensors: '%s' is reserved", METADATA);
    long bytes = dataBytes(tensors);
    checkArgument(bytes <= MAX_FILE - (1 << 20), "safetensors: %s bytes of tensor data; files over 2 GiB are not "
        + "supported (split the state over several files)", bytes);
    ByteBuffer data = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    JsonObject header = new JsonObject();
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
      int begin = data.position();
      NDArray a = e.getValue();
      // bulk copies through typed views, which move raw bits (a NaN's payload survives)
      if (a.dtype() == DType.FLOAT32) {
        data.asFloatBuffer().put(a.toFloatArray());
      } else {
        data.asDoubleBuffer().put(a.toArray());
      }
      data.position(begin + (int) a.nbytes());
      Entry entry = new Entry(e.getKey(), a.dtype() == DType.FLOAT32 ? "F32" : "F64", a.shape(), begin,
          data.position());
      entries.add(entry);
      header.add(entry.name, entry.toJson());
    }
    JsonObject meta = new JsonObject();
    metadata.forEach(meta::addProperty);
    meta.addProperty(CHECKSUM_KEY, digest(entries, metadata, data.array(), 0));
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
      n += a.nbytes();
    }
    return n;
  }

  private static void writeAtomically(Path file, ByteBuffer... parts) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    removeOrphanedTemporaries(file);
    Path tmp = dir.resolve(TEMP_PREFIX + file.getFileName() + "." + ProcessHandle.current().pid() + "."
        + Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36) + TEMP_SUFFIX);
    try {
      // CREATE_NEW with the default permissions, so the file gets the umask like any other tool's (createTempFile
      // would make it 0600)
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
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

  private static final String TEMP_PREFIX = ".";
  private static final String TEMP_SUFFIX = ".tmp";

  /**
   * Deletes temporary files of {@code file} left by saves that died (a crash or a kill mid-write): those whose
   * process is gone. A temporary of a save still running in another process is left alone.
   */
  static void removeOrphanedTemporaries(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    String prefix = TEMP_PREFIX + file.getFileName() + ".";
    try (java.util.stream.Stream<Path> siblings = Files.list(dir)) {
      siblings.filter(p -> {
        String n = p.getFileName().toString();
        return n.startsWith(prefix) && n.endsWith(TEMP_SUFFIX);
      }).forEach(p -> {
        String[] parts = p.getFileName().toString().substring(prefix.length()).split("\\.");
        long pid = parts.length >= 2 ? parseOrMinusOne(parts[0]) : -1;
        boolean alive = pid == ProcessHandle.current().pid() // another thread of ours may be saving right now
            || (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        if (!alive) {
          try {
            Files.deleteIfExists(p);
          } catch (IOException ignored) { // another cleanup got there first, or the file is not ours to delete
          }
        }
      });
    } catch (IOException ignored) { // an unreadable directory: the save or load itself reports what is wrong
    }
  }

  private static long parseOrMinusOne(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Reads and validates a safetensors file: header size and JSON, every entry's dtype (F64, F32, F16, BF16, I64 or
   * I32), shape and byte range, contiguous coverage of the data section, exact file length, and the checksum when
   * present. Each tensor comes back in the dtype that holds its numbers exactly: F64, I64 and I32 as float64; F32,
   * F16 and BF16 as float32 (so a checkpoint saved by PyTorch in half precision loads as float32, without loss).
   *
   * @throws CorruptCheckpointException naming what is wrong
   */
  public static Contents read(Path file) throws IOException {
    return read(file, null);
  }

  /**
   * {@link #read(Path)} with every tensor converted to {@code dtype} (float64 widens exactly; float32 rounds F64, I64
   * and I32 values to nearest), e.g. {@code read(file, DType.FLOAT32)} for a float32 model from any file.
   *
   * @throws CorruptCheckpointException naming what is wrong
   */
  public static Contents read(Path file, DType dtype) throws IOException {
    removeOrphanedTemporaries(file);
    long size = Files.size(file);
    if (size > MAX_FILE) {
      throw new CorruptCheckpointException(file, size + " bytes: files over 2 GiB are not supported");
    }
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
    SafeTensorsHeader header = SafeTensorsHeader.parse(file,
        new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
    int dataStart = 8 + (int) headerLength;
    int dataLength = bytes.length - dataStart;
    List<Entry> entries = header.entries();
    Map<String, String> metadata = new LinkedHashMap<>(header.metadata());
    checkCoverage(file, entries, dataLength);
    String expected = metadata.remove(CHECKSUM_KEY);
    String legacy = metadata.remove(LEGACY_CHECKSUM_KEY);
    String actual = null;
    if (expected != null) {
      actual = digest(entries, metadata, bytes, dataStart);
    } else if (legacy != null) {
      expected = legacy;
      actual = legacyDigest(entries, metadata, bytes, dataStart, dataLength);
    } else if (metadata.keySet().stream().anyMatch(k -> k.startsWith(OUR_PREFIX))) {
      throw new CorruptCheckpointException(file, "written by autograd (metadata " + metadata.keySet() + ") but "
          + "without its checksum '" + CHECKSUM_KEY + "': the header was altered");
    }
    if (expected != null && !expected.equals(actual)) {
      throw new CorruptCheckpointException(file, "checksum mismatch (stored " + expected + ", computed " + actual
          + "): the tensor names, shapes or data were altered or damaged");
    }
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    for (Entry en : entries) {
      NDArray a = en.decode(buf, dataStart);
      tensors.put(en.name, dtype == null ? a : a.to(dtype));
    }
    return new Contents(tensors, metadata);
  }

  /** The byte ranges must tile the data section exactly: no gap, no overlap, nothing missing at the end. */
  private static void checkCoverage(Path file, List<Entry> entries, int dataLength) throws IOException {
    List<Entry> sorted = new ArrayList<>(entries);
    // by start, then end: zero-size tensors may share an offset with each other and with the next tensor's start
    sorted.sort(Comparator.<Entry>comparingLong(en -> en.begin).thenComparingLong(en -> en.end));
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

  /** One tensor of the header: its dtype, shape and byte range [begin, end) in the data section. */
  record Entry(String name, String dtype, int[] shape, long begin, long end) {
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

    /** Bytes per element of a dtype this reader decodes, or 0 for one it does not. */
    static int width(String dtype) {
      return switch (dtype) {
        case "F64", "I64" -> 8;
        case "F32", "I32" -> 4;
        case "F16", "BF16" -> 2;
        default -> 0;
      };
    }

    /**
     * The values, without loss: F64 and F32 bit for bit in their own dtype; F16 and BF16 as float32, which holds
     * every one of them; I32 and I64 as float64 (I64, what PyTorch stores {@code num_batches_tracked} as, is exact
     * up to 2^53).
     */
    NDArray decode(ByteBuffer buf, int dataStart) {
      int width = width(dtype);
      int n = (int) ((end - begin) / width);
      ByteBuffer bytes = buf.slice(dataStart + (int) begin, n * width).order(ByteOrder.LITTLE_ENDIAN);
      switch (dtype) {
        case "F64": {
          double[] values = new double[n];
          bytes.asDoubleBuffer().get(values);
          return NDArray.fromFlat(values, shape);
        }
        case "F32": {
          float[] values = new float[n];
          bytes.asFloatBuffer().get(values);
          return NDArray.fromFlat(values, shape);
        }
        case "F16":
        case "BF16": {
          float[] values = new float[n];
          for (int i = 0; i < n; i++) {
            short bits = bytes.getShort(2 * i);
            values[i] = dtype.equals("F16") ? HalfFloats.fromHalf(bits)
                : Float.intBitsToFloat((bits & 0xFFFF) << 16); // a bfloat16 is the top half of a float32
          }
          return NDArray.fromFlat(values, shape);
        }
        default: {
          double[] values = new double[n];
          for (int i = 0; i < n; i++) {
            values[i] = dtype.equals("I64") ? (double) bytes.getLong(8 * i) : bytes.getInt(4 * i);
          }
          return NDArray.fromFlat(values, shape);
        }
      }
    }
  }

  /**
   * SHA-256 over what a reader gets: each tensor's name, dtype, shape and bytes (tensors sorted by name), then the
   * metadata other than the checksums (sorted by key). Offsets are left out, so the same tensors in another layout
   * (a file re-saved by Python's safetensors) have the same checksum.
   */
  private static String digest(List<Entry> entries, Map<String, String> metadata, byte[] data, int dataStart) {
    Hasher h = Hashing.sha256().newHasher();
    entries.stream().sorted(Comparator.comparing(Entry::name)).forEach(en -> {
      h.putString(en.name + '\0' + en.dtype + '\0' + java.util.Arrays.toString(en.shape) + '\0',
          StandardCharsets.UTF_8);
      h.putLong(en.end - en.begin);
      h.putBytes(data, dataStart + (int) en.begin, (int) (en.end - en.begin));
    });
    new java.util.TreeMap<>(metadata).forEach((k, v) -> h.putString(k + '\0' + v + '\n', StandardCharsets.UTF_8));
    return h.hash().toString();
  }

  /** The checksum of earlier versions: entries with their offsets, the metadata, then the data section. */
  private static String legacyDigest(List<Entry> entries, Map<String, String> metadata, byte[] data, int offset,
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
