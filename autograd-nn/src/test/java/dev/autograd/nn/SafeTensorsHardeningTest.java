package dev.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.array.NDArray;
import dev.autograd.nn.io.CorruptCheckpointException;
import dev.autograd.nn.io.SafeTensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile safetensors headers and files: each a clear CorruptCheckpointException, never a crash or a silent load. */
class SafeTensorsHardeningTest {
  @TempDir
  Path dir;

  /** A file from a header (JSON text) and a data section. */
  private Path file(String name, String header, byte[] data) throws IOException {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(json.length).put(json).put(data);
    Path p = dir.resolve(name);
    Files.write(p, b.array());
    return p;
  }

  private static void rejected(Path file, String... fragments) {
    CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, () -> SafeTensors.read(file));
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), () -> "'" + f + "' missing from: " + e.getMessage());
    }
  }

  private static String tensor(String name, String shape, String offsets) {
    return "\"" + name + "\":{\"dtype\":\"F64\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
  }

  @Test
  void deeplyNestedHeaderIsAnErrorNotAStackOverflow() throws IOException {
    String deep = "{\"x\":" + "[".repeat(200_000) + "]".repeat(200_000) + "}";
    rejected(file("deep", deep, new byte[0]), "nests deeper");
  }

  @Test
  void shapesAndOffsetsMustBeIntegersInRange() throws IOException {
    rejected(file("big", "{" + tensor("w", "[4294967297]", "[0,8]") + "}", new byte[8]), "4294967297");
    rejected(file("frac", "{" + tensor("w", "[1.5]", "[0,8]") + "}", new byte[8]), "1.5");
    rejected(file("exp", "{" + tensor("w", "[1e0]", "[0,8]") + "}", new byte[8]), "1e0");
    rejected(file("neg", "{" + tensor("w", "[-1]", "[0,8]") + "}", new byte[8]), "-1");
    rejected(file("three", "{" + tensor("w", "[1]", "[0,8,8]") + "}", new byte[8]), "data_offsets", "[0, 8, 8]");
    rejected(file("fracoff", "{" + tensor("w", "[1]", "[0,8.0]") + "}", new byte[8]), "8.0");
    rejected(file("wrap", "{" + tensor("w", "[2147483647,2147483647,2147483647]", "[0,8]") + "}", new byte[8]),
        "more than 2^63");
    rejected(file("string", "{" + tensor("w", "[\"1\"]", "[0,8]") + "}", new byte[8]), "must be a number");
  }

  @Test
  void namesAndMetadataAreChecked() throws IOException {
    rejected(file("dup", "{" + tensor("w", "[1]", "[0,8]") + "," + tensor("w", "[1]", "[8,16]") + "}",
        new byte[16]), "'w' twice");
    rejected(file("meta", "{\"__metadata__\":[1,2]," + tensor("w", "[1]", "[0,8]") + "}", new byte[8]),
        "__metadata__", "must be a JSON object");
    rejected(file("metaval", "{\"__metadata__\":{\"a\":3}," + tensor("w", "[1]", "[0,8]") + "}", new byte[8]),
        "metadata value 'a'", "must be a string");
    rejected(file("missing", "{\"w\":{\"dtype\":\"F64\",\"shape\":[1]}}", new byte[8]), "lacks 'data_offsets'");
  }

  @Test
  void zeroSizeTensorsMayShareAnOffset() throws IOException {
    Path p = file("empty", "{" + tensor("a", "[0]", "[0,0]") + "," + tensor("b", "[1]", "[0,8]") + ","
        + tensor("c", "[0,3]", "[0,0]") + "}", new byte[8]);
    Map<String, NDArray> t = SafeTensors.read(p).tensors();
    assertEquals(0, t.get("a").size());
    assertArrayEquals(new int[] {0, 3}, t.get("c").shape());
  }

  @Test
  void theChecksumCoversTensorsNotTheirLayout() throws IOException {
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    tensors.put("a", NDArray.of(1.0, 2.0));
    tensors.put("b", NDArray.of(3.0));
    Path ours = dir.resolve("ours.safetensors");
    SafeTensors.write(ours, tensors, Map.of("autograd.format", "test"));
    // the same tensors in the other order, as another writer might lay them out, with our metadata kept
    String header = readHeader(ours);
    String sum = header.replaceAll(".*\"" + SafeTensors.CHECKSUM_KEY + "\":\"([0-9a-f]+)\".*", "$1");
    ByteBuffer data = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putDouble(3.0).putDouble(1.0)
        .putDouble(2.0);
    String relaid = "{\"__metadata__\":{\"autograd.format\":\"test\",\"" + SafeTensors.CHECKSUM_KEY + "\":\"" + sum
        + "\"}," + tensor("b", "[1]", "[0,8]") + "," + tensor("a", "[2]", "[8,24]") + "}";
    Map<String, NDArray> back = SafeTensors.read(file("relaid", relaid, data.array())).tensors();
    assertArrayEquals(new double[] {1, 2}, back.get("a").toArray(), 0.0);
    // a changed checksum key plus changed data: the file claims to be ours but carries no checksum
    String renamed = relaid.replace(SafeTensors.CHECKSUM_KEY, "autograd.other");
    rejected(file("renamed", renamed, ByteBuffer.allocate(24).putDouble(9.0).array()), "without its checksum");
  }

  private static String readHeader(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    return new String(bytes, 8, (int) n, StandardCharsets.UTF_8).strip();
  }

  @Test
  void temporariesOfDeadSavesAreRemovedAndFilesGetTheUmask() throws IOException, InterruptedException {
    Path target = dir.resolve("model.safetensors");
    Process finished = new ProcessBuilder("java", "-version").redirectErrorStream(true).start();
    finished.getInputStream().readAllBytes();
    finished.waitFor();
    Path orphan = dir.resolve("." + target.getFileName() + "." + finished.pid() + ".abc.tmp");
    Files.write(orphan, new byte[1024]);
    Path mine = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + ".def.tmp");
    Files.write(mine, new byte[16]); // this process is alive: a save of another thread, left alone
    SafeTensors.write(target, Map.of("w", NDArray.of(1.0)), Map.of());
    assertFalse(Files.exists(orphan), "the dead save's temporary file was removed");
    assertTrue(Files.exists(mine));
    if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
      Path plain = Files.createFile(dir.resolve("plain"));
      assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)),
          PosixFilePermissions.toString(Files.getPosixFilePermissions(target)), "same mode as any new file");
    }
  }

  /** Bytes of 16-bit values, little-endian. */
  private static byte[] shorts(int... v) {
    ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int x : v) {
      b.putShort((short) x);
    }
    return b.array();
  }

  @Test
  void halfAndBfloat16TensorsFromPythonLoadExactly() throws IOException {
    // F16: 1, -2, 0.5, 65504 (largest), 2^-24 (smallest subnormal), +inf, NaN, -0
    // BF16: 1, -2, 0.5, 3.3895313892515355e38 (largest), 2^-133 (smallest subnormal), +inf, NaN, -0
    byte[] half = shorts(0x3C00, 0xC000, 0x3800, 0x7BFF, 0x0001, 0x7C00, 0x7E00, 0x8000);
    byte[] brain = shorts(0x3F80, 0xC000, 0x3F00, 0x7F7F, 0x0001, 0x7F80, 0x7FC0, 0x8000);
    byte[] data = new byte[32];
    System.arraycopy(half, 0, data, 0, 16);
    System.arraycopy(brain, 0, data, 16, 16);
    String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2,4],\"data_offsets\":[0,16]},"
        + "\"b\":{\"dtype\":\"BF16\",\"shape\":[8],\"data_offsets\":[16,32]}}";
    Map<String, NDArray> t = SafeTensors.read(file("halves", header, data)).tensors();
    double inf = Double.POSITIVE_INFINITY;
    assertArrayEquals(new double[] {1, -2, 0.5, 65504, Math.scalb(1.0, -24), inf, Double.NaN, -0.0},
        t.get("h").toArray());
    assertArrayEquals(new int[] {2, 4}, t.get("h").shape());
    assertArrayEquals(new double[] {1, -2, 0.5, 3.3895313892515355e38, Math.scalb(1.0, -133), inf, Double.NaN, -0.0},
        t.get("b").toArray());
    rejected(file("f8", "{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[1]),
        "F8_E4M3", "supported");
    rejected(file("odd", "{\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,3]}}", new byte[3]),
        "needs 4 bytes");
  }
}
