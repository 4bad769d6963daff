package dev.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.nn.data.DataFormatException;
import dev.autograd.nn.data.Idx;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile and damaged IDX files: each is a DataFormatException naming the file, never a crash or a silent load. */
class IdxHardeningTest {
  @TempDir
  Path dir;

  private static byte[] idx(int[] dims, byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt((0x08 << 8) | dims.length);
    for (int d : dims) {
      out.writeInt(d);
    }
    out.write(data);
    return bytes.toByteArray();
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  private static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(raw);
    }
    return bytes.toByteArray();
  }

  private static void rejected(Path file, String... fragments) {
    DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.read(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), () -> "'" + f + "' missing from: " + e.getMessage());
    }
  }

  @Test
  void aSmallFileCannotPromiseBillionsOfItems() throws IOException {
    rejected(write("bomb", idx(new int[] {Integer.MAX_VALUE}, new byte[92])), "2147483647", "only 92 bytes");
    rejected(write("bomb4", idx(new int[] {65536, 65536, 65536, 65536}, new byte[10])), "promise");
    byte[] big = new byte[1 << 20]; // a megabyte of zeros compresses to about a kilobyte
    byte[] lying = gzip(idx(new int[] {1 << 30}, big));
    rejected(write("bomb.gz", lying), "1073741824", "gzip trailer");
  }

  @Test
  void aRealButHugeFileIsRefusedBeforeAllocating() throws IOException {
    int items = 1 << 29; // 512 MiB of zeros: a few hundred KiB of gzip, 4 GiB as doubles
    Path bomb = dir.resolve("bomb-real.gz");
    try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(bomb), 1 << 16))) {
      out.writeInt(0x0801);
      out.writeInt(items);
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < items / zeros.length; i++) {
        out.write(zeros);
      }
    }
    assertTrue(Files.size(bomb) < 4 << 20, "compressed to " + Files.size(bomb));
    long heap = Runtime.getRuntime().maxMemory();
    if (8L * items > heap) { // the test JVMs run with -Xmx2g
      rejected(bomb, "MiB of heap", "-Xmx");
    }
  }

  @Test
  void gzipCorruptionIsDetected() throws IOException {
    byte[] data = new byte[3000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 7 + i / 13);
    }
    byte[] good = gzip(idx(new int[] {3000}, data));
    assertArrayEquals(new int[] {3000}, Idx.read(write("good.gz", good)).shape());
    byte[] badCrc = good.clone();
    badCrc[badCrc.length - 6] ^= 0x40; // CRC-32 lies in bytes [n-8, n-4)
    rejected(write("crc.gz", badCrc), "corrupt");
    byte[] flipped = good.clone();
    flipped[good.length / 2] ^= 0x10;
    rejected(write("flipped.gz", flipped));
    rejected(write("truncated.gz", Arrays.copyOf(good, good.length - 20)));
    rejected(write("tiny.gz", Arrays.copyOf(good, 12)), "truncated");
  }

  @Test
  void trailingBytesAreAnError() throws IOException {
    byte[] withTail = Arrays.copyOf(idx(new int[] {3}, new byte[] {1, 2, 3}), 15);
    rejected(write("tail", withTail), "offset 11", "follow the data");
    rejected(write("tail.gz", gzip(withTail)), "follow the data");
  }
}
