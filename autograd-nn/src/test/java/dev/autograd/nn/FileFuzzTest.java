package dev.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autograd.array.NDArray;
import dev.autograd.nn.data.DataFormatException;
import dev.autograd.nn.data.Idx;
import dev.autograd.nn.io.CorruptCheckpointException;
import dev.autograd.nn.io.SafeTensors;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Damaged checkpoint and IDX files, made by flipping, overwriting, inserting and cutting bytes of valid ones. Every
 * read must either return the original content (a checkpoint: the checksum guarantees it) or fail with the format's
 * own exception: never another exception, an OutOfMemoryError or a stack overflow. Seeds are fixed, so CI is
 * deterministic; change them locally to explore.
 */
class FileFuzzTest {
  /** One edit of a file's bytes. */
  record Mutation(int kind, double where, int value, int length) {
    byte[] apply(byte[] original) {
      if (original.length == 0 && kind < 2) {
        return original; // nothing left to flip or overwrite
      }
      int at = (int) (where * original.length);
      byte[] b = original.clone();
      switch (kind) {
        case 0 -> b[Math.min(at, b.length - 1)] ^= (byte) (1 << (value & 7)); // flip one bit
        case 1 -> { // overwrite a run with one byte value (e.g. 0xff: huge lengths and dimensions)
          for (int i = at; i < Math.min(b.length, at + length); i++) {
            b[i] = (byte) value;
          }
        }
        case 2 -> b = Arrays.copyOf(original, at); // truncate
        default -> { // insert bytes
          byte[] ins = new byte[length];
          Arrays.fill(ins, (byte) value);
          b = new byte[original.length + length];
          System.arraycopy(original, 0, b, 0, at);
          System.arraycopy(ins, 0, b, at, length);
          System.arraycopy(original, at, b, at + length, original.length - at);
        }
      }
      return b;
    }
  }

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    Arbitrary<Mutation> one = Combinators.combine(Arbitraries.integers().between(0, 3),
        Arbitraries.doubles().between(0, 1), Arbitraries.integers().between(0, 255),
        Arbitraries.integers().between(1, 12)).as(Mutation::new);
    return one.list().ofMinSize(1).ofMaxSize(3);
  }

  private static final Map<String, NDArray> TENSORS = new LinkedHashMap<>();

  static {
    TENSORS.put("layers.0.weight", NDArray.of(new double[][] {{0.5, -1.25}, {3, 1e-3}}));
    TENSORS.put("layers.0.bias", NDArray.of(0.1, -0.2));
    TENSORS.put("empty", NDArray.zeros(0, 3));
  }

  private static byte[] checkpointBytes(Path dir) throws IOException {
    Path p = dir.resolve("valid.safetensors");
    SafeTensors.write(p, TENSORS, Map.of("autograd.format", "fuzz"));
    return Files.readAllBytes(p);
  }

  @Property(tries = 400, seed = "20261202")
  void damagedCheckpointsAreDetected(@ForAll("mutations") List<Mutation> edits) throws IOException {
    Path dir = Files.createTempDirectory("fuzz");
    try {
      byte[] bytes = checkpointBytes(dir);
      for (Mutation m : edits) {
        bytes = m.apply(bytes);
      }
      Path damaged = Files.write(dir.resolve("damaged.safetensors"), bytes);
      try {
        Map<String, NDArray> read = SafeTensors.read(damaged).tensors();
        assertEquals(TENSORS.keySet(), read.keySet()); // loaded: then it is the original (e.g. a padding change)
        for (String k : TENSORS.keySet()) {
          assertArrayEquals(TENSORS.get(k).toArray(), read.get(k).toArray(), 0.0, k);
        }
      } catch (CorruptCheckpointException expected) {
        // detected
      }
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          Files.delete(p);
        }
      }
      Files.delete(dir);
    }
  }

  private static byte[] idxBytes(boolean gzip) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0x0803);
    out.writeInt(3);
    out.writeInt(4);
    out.writeInt(5);
    for (int i = 0; i < 60; i++) {
      out.writeByte(i * 4);
    }
    if (!gzip) {
      return bytes.toByteArray();
    }
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (OutputStream z = new GZIPOutputStream(zipped)) {
      z.write(bytes.toByteArray());
    }
    return zipped.toByteArray();
  }

  @Property(tries = 400, seed = "20261203")
  void damagedIdxFilesFailCleanly(@ForAll("mutations") List<Mutation> edits, @ForAll boolean gzip)
      throws IOException {
    byte[] bytes = idxBytes(gzip);
    for (Mutation m : edits) {
      bytes = m.apply(bytes);
    }
    Path file = Files.createTempFile("fuzz", gzip ? ".idx.gz" : ".idx");
    try {
      Files.write(file, bytes);
      try {
        NDArray a = Idx.read(file); // raw IDX has no checksum: changed values may load, within the header's size
        assertEquals(a.size(), Arrays.stream(a.shape()).asLongStream().reduce(1, (x, y) -> x * y));
      } catch (DataFormatException expected) {
        // detected
      }
    } finally {
      Files.delete(file);
    }
  }
}
