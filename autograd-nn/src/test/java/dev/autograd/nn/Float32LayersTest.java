package dev.autograd.nn;

import static dev.autograd.array.DType.FLOAT32;
import static dev.autograd.array.DType.FLOAT64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.ConvOptions;
import dev.autograd.PoolOptions;
import dev.autograd.Value;
import dev.autograd.array.DType;
import dev.autograd.array.NDArray;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every layer and loss in float32 against float64 on the same float32-representable weights and inputs: the float32
 * run must be float32 throughout (output, every node of its graph, parameter and input gradients, buffers) and agree
 * with the float64 run to float32 accuracy. A float64 constant created inside a layer would still give the right
 * numbers, only in float64, so the dtype checks are what catch it.
 */
class Float32LayersTest {
  /** Relative to the largest magnitude of the float64 result: far above float32 rounding, far below any bug. */
  private static final double TOLERANCE = 1e-4;

  // ---------------------------------------------------------------- layers

  /** One layer case: a factory (called twice, so it must be deterministic), the mode and the call. */
  private record Case(String name, Supplier<Module> factory, boolean training, NDArray input, boolean inputGrad,
      BiFunction<Module, Value, Value> run) {
    Case(String name, Supplier<Module> factory, boolean training, int... shape) {
      this(name, factory, training, randn(name.hashCode(), shape), true, Module::forward);
    }

    Case with(BiFunction<Module, Value, Value> call) {
      return new Case(name, factory, training, input, inputGrad, call);
    }
  }

  private static NDArray randn(long seed, int... shape) {
    return NDArray.randn(new SplittableRandom(seed), FLOAT32, shape);
  }

  private static SplittableRandom rng() {
    return new SplittableRandom(11);
  }

  private static List<Case> layers() {
    ConvOptions padded = ConvOptions.builder().padding(1).build();
    List<Case> cases = new java.util.ArrayList<>(List.of(
        new Case("Linear", () -> new Linear(5, 4, rng()), true, 3, 5),
        new Case("Linear without bias, batched 3-d input", () -> new Linear(5, 4, false, Init.kaimingNormal(),
            Init.zeros(), rng()), true, 2, 3, 5),
        new Case("MLP with dropout, training", () -> MLP.builder().sizes(5, 8, 8, 3).dropout(0.3).seed(4).build(),
            true, 6, 5),
        new Case("MLP with dropout, eval", () -> MLP.builder().sizes(5, 8, 8, 3).dropout(0.3).seed(4).build(),
            false, 6, 5),
        new Case("Conv1d", () -> new Conv1d(3, 4, 3, padded, true, rng()), true, 2, 3, 7),
        new Case("Conv2d", () -> new Conv2d(2, 3, 3, padded, rng()), true, 2, 2, 6, 6),
        new Case("Conv2d grouped, strided", () -> new Conv2d(4, 4, 3, 3,
            ConvOptions.builder().stride(2).groups(2).build(), false, rng()), true, 1, 4, 7, 7),
        new Case("MaxPool2d", () -> new Pooling.MaxPool2d(2), true, 2, 3, 6, 6),
        new Case("AvgPool2d padded", () -> new Pooling.AvgPool2d(PoolOptions.builder(3, 3).stride(2).padding(1)
            .build()), true, 2, 3, 6, 6),
        new Case("AdaptiveAvgPool2d, dividing", () -> new Pooling.AdaptiveAvgPool2d(3), true, 2, 3, 6, 6),
        new Case("AdaptiveAvgPool2d, uneven", () -> new Pooling.AdaptiveAvgPool2d(4, 3), true, 2, 3, 7, 5),
        new Case("BatchNorm1d training", () -> new BatchNorm1d(4), true, 6, 4),
        new Case("BatchNorm1d eval", BatchNorm1dWithStats::new, false, 6, 4),
        new Case("BatchNorm1d cumulative, 3-d", () -> BatchNorm1d.builder(3).momentum(null).build(), true, 4, 3, 5),
        new Case("BatchNorm2d training", () -> new BatchNorm2d(3), true, 4, 3, 5, 5),
        new Case("BatchNorm2d eval", () -> new BatchNorm2d(3), false, 4, 3, 5, 5),
        new Case("BatchNorm2d without running stats", () -> BatchNorm2d.builder(3).trackRunningStats(false).build(),
            false, 4, 3, 5, 5),
        new Case("LayerNorm", () -> new LayerNorm(4, 5), true, 3, 4, 5),
        new Case("GroupNorm", () -> new GroupNorm(2, 4), true, 3, 4, 5),
        new Case("Dropout training", () -> new Dropout(0.4, 9), true, 5, 6),
        new Case("Dropout eval", () -> new Dropout(0.4, 9), false, 5, 6),
        new Case("Dropout p = 1", () -> new Dropout(1.0, 9), true, 5, 6),
        new Case("Dropout1d training", () -> new Dropout1d(0.5, 9), true, 4, 3, 5),
        new Case("Dropout2d training", () -> new Dropout2d(0.5, 9), true, 4, 3, 2, 2),
        new Case("Dropout2d eval", () -> new Dropout2d(0.5, 9), false, 4, 3, 2, 2),
        new Case("AlphaDropout training", () -> new AlphaDropout(0.3, 9), true, 5, 6),
        new Case("AlphaDropout eval", () -> new AlphaDropout(0.3, 9), false, 5, 6),
        new Case("RNN two layers with dropout", () -> RNN.builder(3, 5).numLayers(2).dropout(0.3).seed(2).build(),
            true, 4, 2, 3),
        new Case("RNN relu, batch first", () -> RNN.builder(3, 5).nonlinearity("relu").batchFirst(true).seed(2)
            .build(), true, 2, 4, 3),
        new Case("GRU two layers", () -> GRU.builder(3, 5).numLayers(2).seed(2).build(), true, 4, 2, 3),
        new Case("LSTM two layers with dropout, eval", () -> LSTM.builder(3, 5).numLayers(2).dropout(0.3).seed(2)
            .build(), false, 4, 2, 3),
        new Case("LSTM unbatched", () -> LSTM.builder(3, 5).seed(2).build(), true, 4, 3),
        new Case("RNNCell", () -> new RNNCell(3, 5, rng()), true, 2, 3),
        new Case("GRUCell", () -> new GRUCell(3, 5, rng()), true, 2, 3),
        new Case("LSTMCell unbatched", () -> new LSTMCell(3, 5, rng()), true, 3),
        new Case("MultiheadAttention self-attention", () -> MultiheadAttention.builder(8, 2).seed(3).build(), true,
            4, 2, 8),
        new Case("MultiheadAttention with dropout, training", () -> MultiheadAttention.builder(8, 2).dropout(0.2)
            .batchFirst(true).seed(3).build(), true, 2, 4, 8),
        new Case("Flatten", Flatten::new, true, 2, 3, 2, 2),
        // no bias before batch norm: its gradient is zero up to rounding, which no relative tolerance can compare
        new Case("Sequential CNN", () -> new Sequential(new Conv2d(1, 4, 3, 3, padded, false, rng()), new BatchNorm2d(4),
            new Activations.ReLU(), new Pooling.MaxPool2d(2), new Flatten(), new Linear(36, 3, rng())), true,
            4, 1, 6, 6)));
    // the same pieces driven through their richer calls: states in, masks, weights out
    cases.add(new Case("GRU with a given h0", () -> GRU.builder(3, 5).seed(2).build(), true, 4, 2, 3)
        .with((m, x) -> ((GRU) m).forward(x, Value.of(randn(5, 1, 2, 5).to(x.dtype()))).hN()));
    cases.add(new Case("LSTM final cell state", () -> LSTM.builder(3, 5).numLayers(2).seed(2).build(), true, 4, 2, 3)
        .with((m, x) -> ((LSTM) m).forward(x, null, null).cN()));
    cases.add(new Case("LSTMCell with given states", () -> new LSTMCell(3, 5, rng()), true, 2, 3)
        .with((m, x) -> ((LSTMCell) m).forward(x, Value.of(randn(6, 2, 5).to(x.dtype())),
            Value.of(randn(7, 2, 5).to(x.dtype()))).c()));
    cases.add(new Case("MultiheadAttention causal with padding mask and per-head weights",
        () -> MultiheadAttention.builder(8, 2).seed(3).build(), true, 4, 2, 8)
        .with((m, x) -> ((MultiheadAttention) m).attend(x, x, x).causal()
            .keyPaddingMask(new boolean[][] {{false, false, false, true}, {false, false, false, false}})
            .averageAttnWeights(false).compute().attnWeights()));
    cases.add(new Case("MultiheadAttention with a float64 additive mask", () -> MultiheadAttention.builder(8, 2)
        .seed(3).build(), true, 4, 2, 8)
        .with((m, x) -> ((MultiheadAttention) m).attend(x, x, x).attnMask(NDArray.of(new double[][] {
            {0, -1, -2, -3}, {0, 0, -1, -2}, {0, 0, 0, -1}, {0.5, 0, 0, 0}})).compute().output()));
    cases.add(new Case("Embedding with padding", () -> new Embedding(7, 4, 2, rng()), true,
        NDArray.of(new double[][] {{1, 2, 6}, {2, 0, 0}}), false, Module::forward));
    cases.add(new Case("Embedding int rows", () -> new Embedding(7, 4, rng()), true, NDArray.scalar(0), false,
        (m, x) -> ((Embedding) m).forward(new int[][] {{1, 3}, {3, 6}})));
    Module[] activations = {new Activations.ReLU(), new Activations.LeakyReLU(0.1), new Activations.Sigmoid(),
        new Activations.Tanh(), new Activations.Softmax(1), new Activations.GELU(), new Activations.GELU("tanh"),
        new Activations.ELU(0.7), new Activations.SELU(), new Activations.SiLU(), new Activations.Mish(),
        new Activations.Softsign(), new Activations.Hardtanh(-0.5, 0.8), new Activations.LogSigmoid()};
    for (Module a : activations) {
      cases.add(new Case(a.toString().lines().findFirst().orElseThrow(), () -> a, true, 4, 6));
    }
    return cases;
  }

  /** A BatchNorm1d whose running statistics are not the initial ones, so that eval mode uses real numbers. */
  private static final class BatchNorm1dWithStats extends Module {
    private final BatchNorm1d bn = registerModule("bn", new BatchNorm1d(4));

    BatchNorm1dWithStats() {
      bn.runningMean().setData(NDArray.of(0.5, -0.25, 1.0, 0.0));
      bn.runningVar().setData(NDArray.of(2.0, 0.5, 1.5, 1.0));
    }

    @Override
    public Value forward(Value x) {
      return bn.forward(x);
    }
  }

  @TestFactory
  Stream<DynamicTest> everyLayerRunsInFloat32() {
    return layers().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> agree(c)));
  }

  private static void agree(Case c) {
    Module wide = c.factory().get();
    wide.loadStateDict(roundedToFloat32(wide.stateDict()));
    Module single = c.factory().get();
    single.loadStateDict(wide.stateDict());
    assertSame(single, single.to(FLOAT32), "to returns the module");
    if (!single.parameters().isEmpty() || !single.buffers().isEmpty()) {
      assertEquals(FLOAT32, single.dtype(), c.name());
    }
    if (!c.training()) {
      wide.eval();
      single.eval();
    }
    Value x64 = Value.of(c.input().to(FLOAT64)).requiresGrad(c.inputGrad());
    Value x32 = Value.of(c.input().to(FLOAT32)).requiresGrad(c.inputGrad());
    Value y64 = c.run().apply(wide, x64);
    Value y32 = c.run().apply(single, x32);
    assertEquals(FLOAT64, y64.dtype(), c.name() + ": the float64 run stays float64");
    assertFloat32Graph(c.name(), y32);
    assertClose(c.name() + ": output", y64.data(), y32.data());
    NDArray seed = randn(99, y64.shape()); // any fixed weights for the outputs
    y64.backward(seed.to(FLOAT64));
    y32.backward(seed);
    if (c.inputGrad()) {
      assertGradClose(c.name() + ": input gradient", x64.grad(), x32.grad());
    }
    Map<String, Value> p64 = wide.namedParameters();
    single.namedParameters().forEach((n, p) -> {
      assertEquals(FLOAT32, p.dtype(), c.name() + ": parameter " + n);
      assertGradClose(c.name() + ": gradient of " + n, p64.get(n).grad(), p.grad());
    });
    Map<String, Value> b64 = wide.namedBuffers();
    single.namedBuffers().forEach((n, b) -> {
      boolean count = n.endsWith("num_batches_tracked");
      assertEquals(count ? FLOAT64 : FLOAT32, b.dtype(), c.name() + ": buffer " + n + " after a forward pass");
      assertClose(c.name() + ": buffer " + n, b64.get(n).data(), b.data());
    });
  }

  private static Map<String, NDArray> roundedToFloat32(Map<String, NDArray> state) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    state.forEach((n, a) -> out.put(n, a.to(FLOAT32).to(FLOAT64)));
    return out;
  }

  /** The output and every node of the graph that produced it are float32 (a promotion anywhere shows up here). */
  private static void assertFloat32Graph(String where, Value output) {
    Set<Value> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Value> todo = new ArrayDeque<>(List.of(output));
    while (!todo.isEmpty()) {
      Value v = todo.pop();
      if (seen.add(v)) {
        assertEquals(FLOAT32, v.dtype(), where + ": a node '" + v.op() + "' of shape "
            + java.util.Arrays.toString(v.shape()) + " is float64");
        todo.addAll(v.parents());
      }
    }
  }

  private static void assertGradClose(String where, NDArray g64, NDArray g32) {
    if (g64 == null) {
      assertNull(g32, where + ": no gradient in float64, so none in float32");
      return;
    }
    assertNotNull(g32, where);
    assertEquals(FLOAT32, g32.dtype(), where);
    assertClose(where, g64, g32);
  }

  /** |a − b| within TOLERANCE of the largest |a| (NaN where a has NaN). */
  static void assertClose(String where, NDArray wide, NDArray single) {
    assertEquals(java.util.Arrays.toString(wide.shape()), java.util.Arrays.toString(single.shape()), where);
    double[] a = wide.toArray();
    double[] b = single.toArray();
    double scale = 0;
    for (double v : a) {
      if (Double.isFinite(v)) {
        scale = Math.max(scale, Math.abs(v));
      }
    }
    for (int i = 0; i < a.length; i++) {
      if (Double.isNaN(a[i]) || Double.isInfinite(a[i])) {
        assertEquals(a[i], b[i], where + " at " + i);
      } else {
        assertTrue(Math.abs(a[i] - b[i]) <= TOLERANCE * Math.max(scale, 1e-30), where + " at " + i + ": float64 "
            + a[i] + ", float32 " + b[i] + " (scale " + scale + ")");
      }
    }
  }

  // ---------------------------------------------------------------- losses

  /** A loss case: its inputs (drawn in float32) and which of them get a gradient. */
  private record LossCase(String name, NDArray[] inputs, boolean[] grads, Function<Value[], Value> loss) {}

  private static LossCase loss(String name, NDArray[] inputs, Function<Value[], Value> loss) {
    boolean[] all = new boolean[inputs.length];
    java.util.Arrays.fill(all, true);
    return new LossCase(name, inputs, all, loss);
  }

  private static NDArray probabilities(long seed, int... shape) {
    return randn(seed, shape).sigmoid();
  }

  private static NDArray signs(long seed, int... shape) {
    return randn(seed, shape).sign().map(v -> v == 0 ? 1 : v);
  }

  private static List<LossCase> losses() {
    NDArray p = randn(1, 4, 3);
    NDArray t = randn(2, 4, 3);
    NDArray logits = randn(3, 5, 4);
    int[] labels = {0, 3, 1, 1, 2};
    NDArray softTarget = Value.of(randn(4, 5, 4)).softmax(1).data();
    NDArray logP = Value.of(logits).logSoftmax(1).data();
    NDArray logits3d = randn(5, 2, 4, 3);
    Value classWeights = Value.of(0.5, 2.0, 1.0, 1.5); // float64 weights: converted, never promoting
    return List.of(
        loss("mse", new NDArray[] {p, t}, v -> Losses.mse(v[0], v[1])),
        loss("mse sum", new NDArray[] {p, t}, v -> Losses.mse(v[0], v[1], Reduction.SUM)),
        loss("l1 none", new NDArray[] {p, t}, v -> Losses.l1(v[0], v[1], Reduction.NONE)),
        loss("huber", new NDArray[] {p, t}, v -> Losses.huber(v[0], v[1], Reduction.MEAN, 0.7)),
        loss("smoothL1", new NDArray[] {p, t}, v -> Losses.smoothL1(v[0], v[1], Reduction.MEAN, 0.5)),
        loss("smoothL1 beta 0", new NDArray[] {p, t}, v -> Losses.smoothL1(v[0], v[1], Reduction.SUM, 0)),
        loss("bce", new NDArray[] {probabilities(6, 4, 3), probabilities(7, 4, 3)}, v -> Losses.bce(v[0], v[1])),
        loss("bce weighted", new NDArray[] {probabilities(6, 4, 3), probabilities(7, 4, 3)}, v -> Losses.bce(v[0],
            v[1], BceOptions.builder().weight(Value.of(1.0, 0.5, 2.0)).build())),
        loss("bceWithLogits", new NDArray[] {p, probabilities(8, 4, 3)}, v -> Losses.bceWithLogits(v[0], v[1])),
        loss("bceWithLogits posWeight and weight", new NDArray[] {p, probabilities(8, 4, 3)},
            v -> Losses.bceWithLogits(v[0], v[1], BceOptions.builder().posWeight(Value.of(2.0, 1.0, 0.5))
                .weight(Value.of(0.5, 1.0, 1.5)).reduction(Reduction.NONE).build())),
        loss("crossEntropy int labels", new NDArray[] {logits}, v -> Losses.crossEntropy(v[0], labels)),
        loss("crossEntropy smoothing, weights, ignoreIndex", new NDArray[] {logits}, v -> Losses.crossEntropy(v[0],
            labels, CrossEntropyOptions.builder().labelSmoothing(0.1).weight(classWeights).ignoreIndex(1).build())),
        loss("crossEntropy weights as doubles, none, ignoreIndex", new NDArray[] {logits}, v -> Losses.crossEntropy(
            v[0], labels, CrossEntropyOptions.builder().weight(0.5, 2.0, 1.0, 1.5).ignoreIndex(3)
                .reduction(Reduction.NONE).build())),
        loss("crossEntropy smoothing, sum", new NDArray[] {logits}, v -> Losses.crossEntropy(v[0], labels, 0.2,
            Reduction.SUM)),
        loss("crossEntropy probabilities, weighted", new NDArray[] {logits, softTarget}, v -> Losses.crossEntropy(
            v[0], v[1], CrossEntropyOptions.builder().weight(classWeights).labelSmoothing(0.1).build())),
        new LossCase("crossEntropy [N, C, d] with a label value", new NDArray[] {logits3d,
            NDArray.of(new double[][] {{0, 3, 2}, {1, 1, 0}}).to(FLOAT32)}, new boolean[] {true, false},
            v -> Losses.crossEntropy(v[0], v[1])),
        loss("nll", new NDArray[] {logits}, v -> Losses.nll(v[0].logSoftmax(1), labels)),
        loss("klDiv", new NDArray[] {logP, softTarget.mul(NDArray.of(FLOAT32, 1, 0, 1, 1))},
            v -> Losses.klDiv(v[0], v[1])),
        loss("klDiv batchmean, log target", new NDArray[] {logP, softTarget.log()},
            v -> Losses.klDiv(v[0], v[1], Reduction.BATCHMEAN, true)),
        loss("cosineEmbedding", new NDArray[] {p, t, signs(9, 4)}, v -> Losses.cosineEmbedding(v[0], v[1], v[2],
            0.1, Reduction.MEAN)),
        loss("marginRanking", new NDArray[] {p, t, signs(10, 4, 3)}, v -> Losses.marginRanking(v[0], v[1], v[2],
            0.2, Reduction.MEAN)),
        loss("tripletMargin", new NDArray[] {p, t, randn(11, 4, 3)}, v -> Losses.tripletMargin(v[0], v[1], v[2])),
        loss("tripletMargin p = 1, swap", new NDArray[] {p, t, randn(11, 4, 3)}, v -> Losses.tripletMargin(v[0],
            v[1], v[2], TripletMarginOptions.builder().p(1).swap(true).build())),
        loss("hinge", new NDArray[] {p, signs(12, 4, 3)}, v -> Losses.hinge(v[0], v[1])),
        loss("l2Penalty", new NDArray[] {p, t}, v -> Losses.l2Penalty(List.of(v[0], v[1]))));
  }

  @TestFactory
  Stream<DynamicTest> everyLossRunsInFloat32() {
    return losses().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> agree(c)));
  }

  private static void agree(LossCase c) {
    Value[] wide = new Value[c.inputs().length];
    Value[] single = new Value[wide.length];
    for (int i = 0; i < wide.length; i++) {
      NDArray x = c.inputs()[i].to(FLOAT32);
      wide[i] = Value.of(x.to(FLOAT64)).requiresGrad(c.grads()[i]);
      single[i] = Value.of(x).requiresGrad(c.grads()[i]);
    }
    Value l64 = c.loss().apply(wide);
    Value l32 = c.loss().apply(single);
    assertEquals(FLOAT64, l64.dtype(), c.name());
    assertFloat32Graph(c.name(), l32);
    assertClose(c.name() + ": loss", l64.data(), l32.data());
    NDArray seed = randn(98, l64.shape());
    l64.backward(seed.to(FLOAT64));
    l32.backward(seed);
    for (int i = 0; i < wide.length; i++) {
      if (c.grads()[i]) {
        assertGradClose(c.name() + ": gradient of input " + i, wide[i].grad(), single[i].grad());
      }
    }
  }

  @Test
  void oneHotInADtype() {
    assertEquals(NDArray.of(new double[][] {{0, 1, 0}, {0, 0, 1}}).to(FLOAT32),
        Losses.oneHot(new int[] {1, 2}, 3, FLOAT32));
    assertEquals(DType.FLOAT64, Losses.oneHot(new int[] {1, 2}, 3).dtype());
  }
}
