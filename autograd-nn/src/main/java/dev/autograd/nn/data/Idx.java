package dev.autograd.nn.data;

import dev.autograd.array.NDArray;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reader for the IDX format of MNIST (and Fashion-MNIST): magic {@code 00 00 type rank}, big-endian dimension sizes,
 * then the data. Gzipped files are recognised by their magic bytes, so {@code .gz} and raw files both work.
 */
public final class Idx {
  private static final int UNSIGNED_BYTE = 0x08;

  private Idx() {}

  /** MNIST-style images and labels: pixels scaled to [0, 1] and flattened to {@code [N, rows·cols]}. */
  public record Images(NDArray pixels, int rows, int cols) {}

  /**
   * Reads an IDX file of any supported element type into an array of its shape (values as stored). The sizes the
   * header declares are checked against the file before anything is allocated (for a gzip file, against its
   * recorded uncompressed size), the whole file is read, so a gzip checksum is verified, and bytes after the data
   * are an error.
   *
   * @throws DataFormatException naming the file, the offset and the reason, for any malformed or corrupt file
   */
  public static NDArray read(Path file) throws IOException {
    long fileSize = Files.size(file);
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
      raw.mark(2);
      int b0 = raw.read();
      int b1 = raw.read();
      raw.reset();
      boolean gzip = b0 == 0x1f && b1 == 0x8b;
      long available = gzip ? gzipUncompressedSize(file, fileSize) : fileSize;
      try {
        InputStream in = gzip ? new BufferedInputStream(new GZIPInputStream(raw)) : raw; // reads the gzip header
        return parse(file, new DataInputStream(in), available, gzip);
      } catch (java.util.zip.ZipException | EOFException e) {
        throw new DataFormatException(file, "gzip stream", "corrupt or truncated compressed data (" + e.getMessage()
            + ")");
      }
    }
  }

  /**
   * The uncompressed size a gzip file records in its last four bytes (ISIZE, the size modulo 2³²). Files of 4 GiB or
   * more cannot be told apart from smaller ones by it; they exceed any array we can allocate anyway.
   */
  private static long gzipUncompressedSize(Path file, long fileSize) throws IOException {
    if (fileSize < 18) { // 10-byte header, 8-byte trailer
      throw new DataFormatException(file, "offset 0", "a gzip file of " + fileSize + " bytes is truncated");
    }
    try (java.nio.channels.SeekableByteChannel ch = Files.newByteChannel(file)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      ch.position(fileSize - 4);
      while (b.hasRemaining() && ch.read(b) >= 0) {
        // read the four bytes
      }
      return Integer.toUnsignedLong(b.getInt(0));
    }
  }

  /** Reads an image file ({@code [N, rows, cols]} of unsigned bytes) scaled to [0, 1]. */
  public static Images readImages(Path file) throws IOException {
    NDArray a = read(file);
    if (a.rank() != 3) {
      throw new DataFormatException(file, "header", "expected 3 dimensions (images, rows, columns), found "
          + Arrays.toString(a.shape()));
    }
    int n = a.dim(0);
    return new Images(a.reshape(n, a.dim(1) * a.dim(2)).mul(1.0 / 255.0), a.dim(1), a.dim(2));
  }

  /** Reads a label file ({@code [N]} of unsigned bytes). */
  public static int[] readLabels(Path file) throws IOException {
    NDArray a = read(file);
    if (a.rank() != 1) {
      throw new DataFormatException(file, "header", "expected 1 dimension (labels), found " + Arrays.toString(a.shape()));
    }
    return Arrays.stream(a.toArray()).mapToInt(d -> (int) d).toArray();
  }

  private static NDArray parse(Path file, DataInputStream in, long available, boolean gzip) throws IOException {
    long offset = 0;
    int magic;
    try {
      magic = in.readInt();
    } catch (EOFException e) {
      throw new DataFormatException(file, "offset 0", "file is shorter than the 4-byte magic number");
    }
    int type = (magic >>> 8) & 0xff;
    int rank = magic & 0xff;
    if ((magic >>> 16) != 0 || elementSize(type) == 0 || rank == 0) {
      throw new DataFormatException(file, "offset 0", String.format(
          "bad magic number 0x%08x: expected 00 00, a type code (08 ubyte, 09 byte, 0B short, 0C int, 0D float, "
              + "0E double) and a rank >= 1", magic));
    }
    offset += 4;
    int[] shape = new int[rank];
    long count = 1;
    for (int d = 0; d < rank; d++) {
      try {
        shape[d] = in.readInt();
      } catch (EOFException e) {
        throw new DataFormatException(file, "offset " + offset, "truncated header: dimension " + d + " of " + rank
            + " is missing");
      }
      if (shape[d] < 0) {
        throw new DataFormatException(file, "offset " + offset, "negative dimension " + shape[d]);
      }
      count = count > Long.MAX_VALUE / Math.max(1, shape[d]) ? Long.MAX_VALUE : count * shape[d];
      offset += 4;
    }
    int size = elementSize(type);
    long dataBytes = count > Long.MAX_VALUE / size ? Long.MAX_VALUE : count * size;
    String what = gzip ? "the uncompressed data (as its gzip trailer records)" : "the file";
    if (dataBytes > available - offset) { // before allocating: a 100-byte file cannot promise 2³¹ items
      throw new DataFormatException(file, gzip ? "header" : "offset " + available, "file is truncated, or its header "
          + "is wrong: dimensions " + Arrays.toString(shape) + " promise " + count + " elements (" + dataBytes
          + " bytes of data), but " + what + " has only " + Math.max(0, available - offset) + " bytes after the "
          + offset + "-byte header");
    }
    if (!gzip && dataBytes < available - offset) {
      throw new DataFormatException(file, "offset " + (offset + dataBytes), (available - offset - dataBytes)
          + " bytes follow the data the header declares " + Arrays.toString(shape) + " (trailing garbage, or a "
          + "wrong header)");
    }
    if (count > dev.autograd.array.Shapes.MAX_ELEMENTS) {
      throw new DataFormatException(file, "header", "too many elements for one array: " + count);
    }
    long needed = 8 * count; // the values are held as doubles
    Runtime rt = Runtime.getRuntime();
    long headroom = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    if (needed > headroom) { // a real but huge file (1 GiB compresses into 1 MiB of gzip): refuse, do not crash
      throw new DataFormatException(file, "header", count + " elements need " + (needed >> 20) + " MiB as doubles, "
          + "more than the " + (headroom >> 20) + " MiB of heap left (raise -Xmx to load it)");
    }
    double[] data = new double[(int) count];
    byte[] chunk = new byte[Math.max(size, 1 << 16) / size * size];
    java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(chunk); // IDX is big-endian, ByteBuffer's default
    for (int at = 0; at < data.length; ) {
      int n = Math.min(data.length - at, chunk.length / size);
      int read = in.readNBytes(chunk, 0, n * size);
      if (read < n * size) {
        throw new DataFormatException(file, "offset " + (offset + (long) at * size + read), "file is truncated: the "
            + "header promises " + count + " elements (" + dataBytes + " bytes of data)");
      }
      for (int i = 0; i < n; i++) {
        data[at + i] = switch (type) {
          case UNSIGNED_BYTE -> chunk[i] & 0xff;
          case 0x09 -> chunk[i];
          case 0x0B -> bb.getShort(i * 2);
          case 0x0C -> bb.getInt(i * 4);
          case 0x0D -> bb.getFloat(i * 4);
          default -> bb.getDouble(i * 8);
        };
      }
      at += n;
    }
    // read to the end: for gzip this is what verifies the checksum and length in the trailer
    if (in.read() != -1) {
      throw new DataFormatException(file, "offset " + (offset + dataBytes), "bytes follow the data the header "
          + "declares " + Arrays.toString(shape) + " (trailing garbage, or a wrong header)");
    }
    return NDArray.fromFlat(data, shape);
  }

  private static int elementSize(int type) {
    return switch (type) {
      case UNSIGNED_BYTE, 0x09 -> 1;
      case 0x0B -> 2;
      case 0x0C, 0x0D -> 4;
      case 0x0E -> 8;
      default -> 0;
    };
  }
}
