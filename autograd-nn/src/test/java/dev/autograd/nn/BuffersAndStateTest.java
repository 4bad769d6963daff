package dev.autograd.nn;

import static dev.autograd.nn.Waves.wave;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.Value;
import dev.autograd.array.NDArray;
import dev.autograd.nn.io.Checkpoint;
import dev.autograd.nn.io.SafeTensors;
import dev.autograd.nn.optim.Optimizer;
import dev.autograd.nn.optim.SGD;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Buffers: registered apart from parameters, in stateDict with PyTorch's keys, restored, and saved in checkpoints. */
class BuffersAndStateTest {
  @TempDir
  Path dir;

  private static Sequential model(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    return new Sequential(new Linear(3, 4, rng), new BatchNorm1d(4), new Activations.ReLU(), new Linear(4, 2, rng));
  }

  private static void train(Sequential m, Optimizer opt, int steps) {
    for (int i = 0; i < steps; i++) {
      m.zeroGrad();
      m.forward(Value.of(wave(i, 2, 5, 3))).square().sum().backward();
      opt.step();
    }
  }

  @Test
  void stateDictHasParametersThenBuffersPerModuleWithPyTorchKeys() {
    Sequential m = model(1);
    // the keys and order of torch's state_dict() for the same nn.Sequential
    assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
        "1.num_batches_tracked", "3.weight", "3.bias"), List.copyOf(m.stateDict().keySet()));
    assertEquals(List.of("1.running_mean", "1.running_var", "1.num_batches_tracked"),
        List.copyOf(m.namedBuffers().keySet()));
    assertEquals(3, m.buffers().size());
    assertEquals(6, m.parameters().size(), "optimizers never see buffers");
    assertFalse(m.namedParameters().containsKey("1.running_mean"));
    assertEquals(3 * 4 + 4 + 4 + 4 + 4 * 2 + 2, m.parameterCount());
  }

  @Test
  void buffersTakeNoGradientAndTheSnapshotDoesNotMove() {
    Sequential m = model(1);
    Map<String, NDArray> before = m.stateDict();
    m.forward(Value.of(wave(0, 1, 5, 3))).sum().backward();
    BatchNorm1d bn = (BatchNorm1d) m.get(1);
    assertFalse(bn.runningMean().requiresGrad());
    assertNull(bn.runningMean().grad());
    assertEquals(1.0, bn.numBatchesTracked().item());
    assertEquals(0.0, before.get("1.num_batches_tracked").item(), "a snapshot, not a view");
    assertNotEquals(before.get("1.running_mean"), bn.runningMean().data());
  }

  @Test
  void loadStateDictRestoresBuffersAndRejectsMisfitsWithoutChangingAnything() {
    Sequential trained = model(1);
    train(trained, SGD.builder(trained.parameters()).lr(0.1).build(), 3);
    Sequential fresh = model(2);
    Map<String, NDArray> untouched = fresh.stateDict();

    Map<String, NDArray> missing = new LinkedHashMap<>(trained.stateDict());
    missing.remove("1.running_var");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fresh.loadStateDict(missing));
    assertTrue(e.getMessage().contains("missing [1.running_var]") && e.getMessage().contains("unexpected []"),
        e.getMessage());

    Map<String, NDArray> extra = new LinkedHashMap<>(trained.stateDict());
    extra.put("1.running_max", NDArray.zeros(4));
    e = assertThrows(IllegalArgumentException.class, () -> fresh.loadStateDict(extra));
    assertTrue(e.getMessage().contains("unexpected [1.running_max]"), e.getMessage());

    Map<String, NDArray> badShape = new LinkedHashMap<>(trained.stateDict());
    badShape.put("1.running_mean", NDArray.zeros(5));
    e = assertThrows(IllegalArgumentException.class, () -> fresh.loadStateDict(badShape));
    assertTrue(e.getMessage().contains("'1.running_mean' has shape [4] in the model but [5]"), e.getMessage());
    assertEquals(untouched, fresh.stateDict(), "a rejected state changes nothing");

    fresh.loadStateDict(trained.stateDict());
    assertEquals(trained.stateDict(), fresh.stateDict());
    assertEquals(3.0, fresh.stateDict().get("1.num_batches_tracked").item());
  }

  @Test
  void checkpointRoundTripCarriesBuffers() throws IOException {
    Sequential trained = model(1);
    Optimizer opt = SGD.builder(trained.parameters()).lr(0.1).momentum(0.9).build();
    train(trained, opt, 2);
    Path file = dir.resolve("bn.safetensors");
    Checkpoint.save(file, trained, opt);
    Map<String, NDArray> onDisk = SafeTensors.read(file).tensors();
    assertEquals(2.0, onDisk.get("1.num_batches_tracked").item());
    assertEquals(0, onDisk.get("1.num_batches_tracked").rank());
    assertEquals(trained.stateDict().get("1.running_var"), onDisk.get("1.running_var"));

    Sequential restored = model(7);
    Optimizer restoredOpt = SGD.builder(restored.parameters()).lr(0.1).momentum(0.9).build();
    Checkpoint.load(file, restored, restoredOpt);
    assertEquals(trained.stateDict(), restored.stateDict());
    NDArray x = wave(3, 1, 2, 3);
    assertEquals(trained.eval().forward(Value.of(x)).data(), restored.eval().forward(Value.of(x)).data());

    // a checkpoint of a model without the buffers does not fit, and leaves the model as it was
    Sequential noBn = new Sequential(new Linear(3, 4, new SplittableRandom(1)), new Activations.ReLU());
    Path other = dir.resolve("other.safetensors");
    Checkpoint.save(other, noBn, null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Checkpoint.load(other, restored, null));
    assertTrue(e.getMessage().contains("1.running_mean"), e.getMessage());
    assertEquals(trained.stateDict(), restored.stateDict());
  }

  @Test
  void loadsAStateWrittenByPyTorchWithItsInt64Counter() throws Exception {
    // resources/torch/bnfile.py: a torch 1.13 BatchNorm1d state_dict (F32 tensors, I64 num_batches_tracked)
    Path file = Path.of(getClass().getResource("/torch/batchnorm1d.safetensors").toURI());
    assertEquals("I64", java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1)
        .replaceAll("(?s).*\"num_batches_tracked\":\\{\"dtype\":\"(\\w+)\".*", "$1"));
    BatchNorm1d bn = new BatchNorm1d(3);
    Checkpoint.load(file, bn, null);
    assertEquals(3.0, bn.numBatchesTracked().item());
    assertArrayEquals(new double[] {0.10668028891086578, 0.08965922147035599, 0.03047003597021103},
        bn.runningMean().data().toArray(), 0.0);
    Value y = bn.eval().forward(Value.of(wave(5, 1, 2, 3)));
    // torch 1.13's float32 output for the same input
    assertArrayEquals(new double[] {-1.1456279754638672, 0.45833706855773926, -0.158302903175354, 0.827418327331543,
        -0.16667504608631134, 0.9642526507377625}, y.data().toArray(), 1e-6);
  }

  @Test
  void bufferNamesFollowTheParameterRules() {
    class Both extends Module {
      Both(String buffer) {
        registerParameter("w", NDArray.zeros(2));
        registerBuffer(buffer, NDArray.zeros(2));
      }

      @Override
      public Value forward(Value input) {
        return input;
      }
    }
    assertEquals(List.of("w", "stats"), List.copyOf(new Both("stats").stateDict().keySet()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Both("w"));
    assertTrue(e.getMessage().contains("'w' is already used"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Both("a.b"));
  }

  @Test
  void evalAndTrainReachNestedBatchNorm() {
    Sequential outer = new Sequential(model(1));
    BatchNorm1d bn = (BatchNorm1d) ((Sequential) outer.get(0)).get(1);
    outer.eval();
    outer.forward(Value.of(wave(0, 1, 4, 3)));
    assertEquals(0.0, bn.numBatchesTracked().item(), "eval mode does not update");
    outer.train();
    outer.forward(Value.of(wave(0, 1, 4, 3)));
    assertEquals(1.0, bn.numBatchesTracked().item());
    assertArrayEquals(new int[] {4}, bn.runningMean().shape());
  }
}
