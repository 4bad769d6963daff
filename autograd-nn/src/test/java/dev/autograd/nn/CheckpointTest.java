package dev.autograd.nn;

import dev.autograd.nn.optim.SGD;

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
import dev.autograd.nn.optim.Optimizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  @TempDir
  Path dir;

  private static MLP model(long seed) {
    return MLP.builder().sizes(3, 5, 2).seed(seed).build();
  }

  private static Optimizer trainedOptimizer(MLP m) {
    Optimizer opt = Adam.adamW(m.parameters()).lr(0.01).betas(0.9, 0.999).eps(1e-8).weightDecay(0.01).build();
    for (int i = 0; i < 2; i++) {
      m.zeroGrad();
      m.forward(Value.of(NDArray.of(new double[][] {{1, -2, 0.5}}))).pow(2).sum().backward();
      opt.step();
    }
    return opt;
  }

  @Test
  void roundTripIsBitExactForModelAndOptimizer() throws IOException {
    MLP original = model(1);
    Optimizer opt = trainedOptimizer(original);
    Path file = dir.resolve("model.safetensors");
    Checkpoint.save(file, original, opt);

    MLP restored = model(2);
    Optimizer restoredOpt = Adam.adamW(restored.parameters()).lr(0.01).betas(0.9, 0.999).eps(1e-8).weightDecay(0.01)
        .build();
    Checkpoint.load(file, restored, restoredOpt);
    for (String name : original.stateDict().keySet()) {
      assertArrayEquals(original.stateDict().get(name).toArray(), restored.stateDict().get(name).toArray(), 0.0);
    }
    assertEquals(opt.stateDict().keySet(), restoredOpt.stateDict().keySet());
    assertEquals(2, restoredOpt.stepCount());
    for (String k : opt.stateDict().keySet()) {
      assertEquals(opt.stateDict().get(k), restoredOpt.stateDict().get(k), k);
    }
  }

  @Test
  void aLoadWhoseOptimizerPartDoesNotFitChangesNothing() throws IOException {
    MLP original = model(1);
    Path file = dir.resolve("adam.safetensors");
    Checkpoint.save(file, original, trainedOptimizer(original));
    MLP other = model(2);
    Map<String, NDArray> before = other.stateDict();
    Optimizer sgd = SGD.builder(other.parameters()).lr(0.1).momentum(0.9).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(file, other, sgd));
    assertTrue(e.getMessage().contains("Adam"), e.getMessage());
    for (String name : before.keySet()) {
      assertArrayEquals(before.get(name).toArray(), other.stateDict().get(name).toArray(), 0.0, name);
    }
    assertEquals(0, sgd.stepCount());
  }

  @Test
  void fileIsStandardSafetensors() throws IOException {
    Path file = dir.resolve("plain.safetensors");
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    tensors.put("w", NDArray.of(new double[][] {{1, 2}, {3, 4}}));
    tensors.put("b", NDArray.of(-0.5));
    SafeTensors.write(file, tensors, Map.of("note", "hello"));
    byte[] bytes = Files.readAllBytes(file);
    long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, headerLength % 8);
    String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
    assertTrue(header.contains("\"w\":{\"dtype\":\"F64\",\"shape\":[2,2],\"data_offsets\":[0,32]}"), header);
    assertTrue(header.contains("\"b\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[32,40]}"), header);
    assertEquals(8 + headerLength + 40, bytes.length);
    assertEquals(1.0, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getDouble(8 + (int) headerLength));
    SafeTensors.Contents c = SafeTensors.read(file);
    assertEquals(Map.of("note", "hello"), c.metadata());
    assertEquals(tensors, c.tensors());
  }

  @Test
  void truncatedFileIsRejected() throws IOException {
    Path file = saved();
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 8));
    CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class,
        () -> Checkpoint.load(file, model(1), null));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    Files.write(file, Arrays.copyOf(bytes, 5));
    assertThrows(CorruptCheckpointException.class, () -> Checkpoint.load(file, model(1), null));
  }

  @Test
  void flippedDataByteIsDetected() throws IOException {
    Path file = saved();
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 3] ^= 0x10;
    Files.write(file, bytes);
    CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class,
        () -> Checkpoint.load(file, model(1), null));
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
  }

  @Test
  void flippedHeaderByteIsDetected() throws IOException {
    Path file = saved();
    byte[] bytes = Files.readAllBytes(file);
    int name = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("layers.0.weight");
    bytes[name] ^= 0x02; // renames a tensor: valid JSON, caught by the checksum
    Files.write(file, bytes);
    CorruptCheckpointException renamed = assertThrows(CorruptCheckpointException.class,
        () -> Checkpoint.load(file, model(1), null));
    assertTrue(renamed.getMessage().contains("checksum mismatch"), renamed.getMessage());
    bytes = Files.readAllBytes(saved());
    bytes[9] = '!'; // breaks the JSON syntax
    Files.write(file, bytes);
    CorruptCheckpointException syntax = assertThrows(CorruptCheckpointException.class,
        () -> Checkpoint.load(file, model(1), null));
    assertTrue(syntax.getMessage().contains("JSON"), syntax.getMessage());
    bytes = Files.readAllBytes(saved());
    bytes[0] = (byte) 0xff; // absurd header length
    Files.write(file, bytes);
    CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class,
        () -> Checkpoint.load(file, model(1), null));
    assertTrue(e.getMessage().contains("header"), e.getMessage());
  }

  @Test
  void wrongShapeOrNamesAreClearErrors() throws IOException {
    Path file = saved();
    MLP wider = MLP.builder().sizes(3, 6, 2).seed(1).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Checkpoint.load(file, wider, null));
    assertTrue(e.getMessage().contains("layers.0.weight") && e.getMessage().contains("[6, 3]")
        && e.getMessage().contains("[5, 3]"), e.getMessage());
    MLP deeper = MLP.builder().sizes(3, 5, 5, 2).seed(1).build();
    IllegalArgumentException n = assertThrows(IllegalArgumentException.class,
        () -> Checkpoint.load(file, deeper, null));
    assertTrue(n.getMessage().contains("missing [layers.4.bias, layers.4.weight]"), n.getMessage());
  }

  @Test
  void failedSaveKeepsThePreviousCheckpointAndLeavesNoTemporaryFiles() throws IOException {
    Path file = saved();
    byte[] before = Files.readAllBytes(file);
    Map<String, NDArray> exploding = new LinkedHashMap<>() {
      @Override
      public java.util.Set<Map.Entry<String, NDArray>> entrySet() {
        throw new IllegalStateException("simulated crash while serialising");
      }
    };
    exploding.put("x", NDArray.of(1));
    assertThrows(IllegalStateException.class, () -> SafeTensors.write(file, exploding, Map.of()));
    assertArrayEquals(before, Files.readAllBytes(file));
    Checkpoint.save(file, model(3), null); // a successful overwrite replaces it whole
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary files left behind");
    }
  }

  private Path saved() throws IOException {
    Path file = dir.resolve("m.safetensors");
    Checkpoint.save(file, model(1), null);
    return file;
  }
}
