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

  /** Reads an IDX file of any supported element type into an array of its shape (values as stored). */
  public static NDArray read(Path file) throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
      raw.mark(2);
      int b0 = raw.read();
      int b1 = raw.read();
      raw.reset();
      InputStream in = b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(raw)) : raw;
      return parse(file, new DataInputStream(in));
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

  private static NDArray parse(Path file, DataInputStream in) throws IOException {
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
      count *= shape[d];
      offset += 4;
    }
    if (count > Integer.MAX_VALUE) {
      throw new DataFormatException(file, "header", "too many elements: " + count);
    }
    double[] data = new double[(int) count];
    int size = elementSize(type);
    byte[] buffer = new byte[(int) count * size];
    int read = in.readNBytes(buffer, 0, buffer.length);
    if (read < buffer.length) {
      throw new DataFormatException(file, "offset " + (offset + read), "file is truncated: the header promises "
          + count + " elements (" + buffer.length + " bytes of data) but only " + read + " bytes follow");
    }
    java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(buffer); // IDX is big-endian, ByteBuffer's default
    for (int i = 0; i < data.length; i++) {
      data[i] = switch (type) {
        case UNSIGNED_BYTE -> buffer[i] & 0xff;
        case 0x09 -> buffer[i];
        case 0x0B -> bb.getShort(i * 2);
        case 0x0C -> bb.getInt(i * 4);
        case 0x0D -> bb.getFloat(i * 4);
        default -> bb.getDouble(i * 8);
      };
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
