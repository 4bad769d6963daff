package dev.autograd.nn;

import static dev.autograd.array.DType.FLOAT32;
import static dev.autograd.array.DType.FLOAT64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.Value;
import dev.autograd.array.NDArray;
import dev.autograd.nn.io.Checkpoint;
import dev.autograd.nn.io.CorruptCheckpointException;
import dev.autograd.nn.io.SafeTensors;
import dev.autograd.nn.optim.Adam;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dtypes in safetensors files: F32 and F64 written and read bit for bit, other dtypes converted as documented. */
class SafeTensorsDtypeTest {
  @TempDir
  Path dir;

  /** Every kind of float32: signed zeros, subnormals, extremes, infinities, NaNs with and without a payload. */
  private static final float[] FLOATS = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL / 3,
      Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
      Float.NaN, Float.intBitsToFloat(0x7FC0_1234), Float.intBitsToFloat(0xFFC0_0001), 1f / 3, -2.5f, 1e-40f};
  private static final double[] DOUBLES = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL / 3,
      Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
      Double.NaN, Double.longBitsToDouble(0x7FF8_0000_0000_1234L), Double.longBitsToDouble(0xFFF8_0000_0000_0001L),
      0.1, -1.0 / 3, 1e-310};

  /** The JSON header of a safetensors file. */
  private static String header(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    int n = (int) b.getLong();
    return new String(b.array(), 8, n, StandardCharsets.UTF_8);
  }

  private static int[] bits(float[] f) {
    int[] out = new int[f.length];
    for (int i = 0; i < f.length; i++) {
      out[i] = Float.floatToRawIntBits(f[i]);
    }
    return out;
  }

  private static long[] bits(double[] d) {
    long[] out = new long[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = Double.doubleToRawLongBits(d[i]);
    }
    return out;
  }

  @Test
  void float32AndFloat64RoundTripBitForBit() throws IOException {
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    tensors.put("single", NDArray.fromFlat(FLOATS, 4, 4));
    tensors.put("wide", NDArray.fromFlat(DOUBLES, 2, 8));
    tensors.put("empty", NDArray.zeros(FLOAT32, 0, 3));
    tensors.put("scalar", NDArray.scalar(0.1, FLOAT32));
    Path file = dir.resolve("both.safetensors");
    SafeTensors.write(file, tensors, Map.of());
    String h = header(file);
    assertTrue(h.contains("\"single\":{\"dtype\":\"F32\",\"shape\":[4,4],\"data_offsets\":[0,64]}"), h);
    assertTrue(h.contains("\"wide\":{\"dtype\":\"F64\",\"shape\":[2,8],\"data_offsets\":[64,192]}"), h);
    assertTrue(h.contains("\"scalar\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[192,196]}"), h);
    assertEquals(8 + h.length() + 196, Files.size(file), "4 bytes per float32, 8 per float64");
    Map<String, NDArray> back = SafeTensors.read(file).tensors();
    assertEquals(FLOAT32, back.get("single").dtype());
    assertArrayEquals(new int[] {4, 4}, back.get("single").shape());
    assertArrayEquals(bits(FLOATS), bits(back.get("single").toFloatArray()));
    assertEquals(FLOAT64, back.get("wide").dtype());
    assertArrayEquals(bits(DOUBLES), bits(back.get("wide").toArray()));
    assertEquals(FLOAT32, back.get("empty").dtype());
    assertArrayEquals(new int[] {0, 3}, back.get("empty").shape());
    assertEquals(FLOAT32, back.get("scalar").dtype());
    assertEquals(0.1f, (float) back.get("scalar").item());
  }

  @Test
  void theChecksumCoversFloat32Data() throws IOException {
    Path file = dir.resolve("f32.safetensors");
    SafeTensors.write(file, Map.of("w", NDArray.fromFlat(FLOATS, 16)), Map.of("autograd.note", "x"));
    byte[] bytes = Files.readAllBytes(file);
    for (int at : new int[] {bytes.length - 1, bytes.length - 37}) { // the last byte of the data, a middle one
      byte[] damaged = bytes.clone();
      damaged[at] ^= 0x01;
      Path bad = Files.write(dir.resolve("bad" + at), damaged);
      CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, () -> SafeTensors.read(bad));
      assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    }
    // the dtype is part of what is checked: the same bytes relabelled as I32 do not verify
    String relabelled = new String(bytes, StandardCharsets.ISO_8859_1).replace("\"F32\"", "\"I32\"");
    Path retyped = Files.write(dir.resolve("retyped"), relabelled.getBytes(StandardCharsets.ISO_8859_1));
    assertThrows(CorruptCheckpointException.class, () -> SafeTensors.read(retyped));
  }

  /** A file of F16, BF16, I32 and I64 tensors, as other writers make them. */
  private Path foreignFile() throws IOException {
    ByteBuffer data = ByteBuffer.allocate(8 + 8 + 12 + 16).order(ByteOrder.LITTLE_ENDIAN);
    for (int h : new int[] {0x3C00, 0xC000, 0x0001, 0x7C00}) { // F16: 1, -2, 2^-24, +inf
      data.putShort((short) h);
    }
    for (int b : new int[] {0x3F80, 0x3EAB, 0x0001, 0x8000}) { // BF16: 1, 0.333984375, 2^-133, -0
      data.putShort((short) b);
    }
    data.putInt(16_777_217).putInt(-3).putInt(Integer.MAX_VALUE); // I32: 2^24 + 1 is no float32
    data.putLong((1L << 53) - 1).putLong(-7);
    String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2,2],\"data_offsets\":[8,16]},"
        + "\"i\":{\"dtype\":\"I32\",\"shape\":[3],\"data_offsets\":[16,28]},"
        + "\"l\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[28,44]}}";
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer file = ByteBuffer.allocate(8 + json.length + 44).order(ByteOrder.LITTLE_ENDIAN);
    file.putLong(json.length).put(json).put(data.array());
    return Files.write(dir.resolve("foreign.safetensors"), file.array());
  }

  @Test
  void halfPrecisionLoadsAsFloat32AndIntegersAsFloat64() throws IOException {
    Map<String, NDArray> t = SafeTensors.read(foreignFile()).tensors();
    assertEquals(FLOAT32, t.get("h").dtype());
    assertArrayEquals(new double[] {1, -2, Math.scalb(1.0, -24), Double.POSITIVE_INFINITY}, t.get("h").toArray());
    assertEquals(FLOAT32, t.get("b").dtype());
    assertArrayEquals(new double[] {1, 0.333984375, Math.scalb(1.0, -133), -0.0}, t.get("b").toArray());
    assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(t.get("b").toFloatArray()[3]));
    assertEquals(FLOAT64, t.get("i").dtype());
    assertArrayEquals(new double[] {16_777_217, -3, Integer.MAX_VALUE}, t.get("i").toArray());
    assertEquals(FLOAT64, t.get("l").dtype());
    assertArrayEquals(new double[] {(1L << 53) - 1, -7}, t.get("l").toArray());
  }

  @Test
  void aRequestedDtypeConvertsEveryTensor() throws IOException {
    Path file = foreignFile();
    Map<String, NDArray> wide = SafeTensors.read(file, FLOAT64).tensors();
    Map<String, NDArray> single = SafeTensors.read(file, FLOAT32).tensors();
    for (String k : new String[] {"h", "b", "i", "l"}) {
      assertEquals(FLOAT64, wide.get(k).dtype(), k);
      assertEquals(FLOAT32, single.get(k).dtype(), k);
      assertEquals(wide.get(k).to(FLOAT32), single.get(k), k);
    }
    assertArrayEquals(new double[] {1, -2, Math.scalb(1.0, -24), Double.POSITIVE_INFINITY}, wide.get("h").toArray());
    assertEquals(16_777_216.0, single.get("i").toArray()[0], "rounded to the nearest float32");
    Path ours = dir.resolve("ours.safetensors");
    SafeTensors.write(ours, Map.of("w", NDArray.of(0.1, 0.2)), Map.of());
    assertEquals(NDArray.of(FLOAT32, 0.1, 0.2), SafeTensors.read(ours, FLOAT32).tensors().get("w"));
  }

  @Test
  void aFloat32CheckpointRoundTripsAndLoadsIntoEitherDtype() throws IOException {
    Sequential trained = new Sequential(new Linear(3, 4, new SplittableRandom(1)), new BatchNorm1d(4),
        new Activations.ReLU(), new Linear(4, 2, new SplittableRandom(2))).to(FLOAT32);
    Adam adam = new Adam(trained.parameters(), 1e-2);
    for (int k = 0; k < 2; k++) {
      adam.zeroGrad();
      trained.forward(Value.randn(new SplittableRandom(k), FLOAT32, 5, 3)).pow(2).mean().backward();
      adam.step();
    }
    Path file = dir.resolve("model.safetensors");
    Checkpoint.save(file, trained, adam);
    String h = header(file);
    assertTrue(h.contains("\"0.weight\":{\"dtype\":\"F32\""), h);
    assertTrue(h.contains("\"optimizer.m.0\":{\"dtype\":\"F32\""), h);
    assertTrue(h.contains("\"1.num_batches_tracked\":{\"dtype\":\"F64\""), h);

    Sequential single = new Sequential(new Linear(3, 4, new SplittableRandom(7)), new BatchNorm1d(4),
        new Activations.ReLU(), new Linear(4, 2, new SplittableRandom(8))).to(FLOAT32);
    Adam singleAdam = new Adam(single.parameters(), 1e-2);
    Checkpoint.load(file, single, singleAdam);
    assertEquals(trained.stateDict(), single.stateDict(), "float32 tensors back bit for bit, in float32");
    assertEquals(adam.stateDict(), singleAdam.stateDict());
    single.parameters().forEach(p -> assertEquals(FLOAT32, p.dtype()));

    Sequential wide = new Sequential(new Linear(3, 4, new SplittableRandom(7)), new BatchNorm1d(4),
        new Activations.ReLU(), new Linear(4, 2, new SplittableRandom(8)));
    Adam wideAdam = new Adam(wide.parameters(), 1e-2);
    Checkpoint.load(file, wide, wideAdam);
    wide.parameters().forEach(p -> assertEquals(FLOAT64, p.dtype(), "a float64 model stays float64"));
    trained.stateDict().forEach((n, a) -> assertEquals(a.to(FLOAT64), wide.stateDict().get(n), n));
    wideAdam.stateDict().forEach((k, v) -> {
      if (OptimizerDtypeTest.isBuffer(k)) {
        assertEquals(FLOAT64, v.dtype(), k);
      }
    });

    Path wideFile = dir.resolve("wide.safetensors");
    Checkpoint.save(wideFile, wide, wideAdam);
    assertTrue(header(wideFile).contains("\"0.weight\":{\"dtype\":\"F64\""));
    Checkpoint.load(wideFile, single, singleAdam); // a float64 checkpoint into the float32 model: float32
    assertEquals(trained.stateDict(), single.stateDict());
    assertEquals(adam.stateDict(), singleAdam.stateDict());
  }

  @Test
  void pyTorchsFloat32BatchNormLoadsIntoAFloat32Layer() throws Exception {
    Path file = Path.of(getClass().getResource("/torch/batchnorm1d.safetensors").toURI());
    BatchNorm1d bn = new BatchNorm1d(3).to(FLOAT32);
    Checkpoint.load(file, bn, null);
    assertEquals(FLOAT32, bn.runningMean().dtype());
    assertEquals(3.0, bn.numBatchesTracked().item());
    assertEquals((float) 0.10668028891086578, (float) bn.runningMean().data().toArray()[0]);
    double[][] input = new double[2][3];
    for (int j = 0; j < 2; j++) {
      for (int i = 0; i < 3; i++) {
        input[j][i] = Math.sin(0.7 * (j * 3 + i) + 5);
      }
    }
    Value y = bn.eval().forward(Value.of(NDArray.of(input).to(FLOAT32)));
    assertEquals(FLOAT32, y.dtype());
    // torch 1.13's float32 output (resources/torch/bnfile.py)
    assertArrayEquals(new double[] {-1.1456279754638672, 0.45833706855773926, -0.158302903175354, 0.827418327331543,
        -0.16667504608631134, 0.9642526507377625}, y.data().toArray(), 3e-7);
  }
}
