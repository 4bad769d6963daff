package dev.autograd.nn;

import static dev.autograd.array.DType.FLOAT32;
import static dev.autograd.array.DType.FLOAT64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.Value;
import dev.autograd.array.DType;
import dev.autograd.array.NDArray;
import dev.autograd.nn.optim.Adagrad;
import dev.autograd.nn.optim.Adam;
import dev.autograd.nn.optim.Adamax;
import dev.autograd.nn.optim.LBFGS;
import dev.autograd.nn.optim.NAdam;
import dev.autograd.nn.optim.Optimizer;
import dev.autograd.nn.optim.RAdam;
import dev.autograd.nn.optim.RMSProp;
import dev.autograd.nn.optim.SGD;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Optimizer state lives in the parameters' dtype: a float32 model's parameters stay float32 through steps, its
 * buffers are float32, the steps agree with float64 ones to float32 accuracy, and saved state keeps (or, loaded into
 * another dtype, takes) the parameters' dtype.
 */
class OptimizerDtypeTest {
  /** Parameters after a few steps, relative to their largest magnitude. */
  private static final double TOLERANCE = 1e-5;
  private static final NDArray X = NDArray.randn(new SplittableRandom(1), FLOAT32, 16, 4);
  private static final NDArray Y = NDArray.randn(new SplittableRandom(2), FLOAT32, 16, 3);

  private static MLP model(DType dtype) {
    MLP m = MLP.builder().sizes(4, 8, 3).seed(5).build();
    Map<String, NDArray> rounded = new LinkedHashMap<>();
    m.stateDict().forEach((n, a) -> rounded.put(n, a.to(FLOAT32).to(FLOAT64))); // the same numbers in both dtypes
    m.loadStateDict(rounded);
    return m.to(dtype);
  }

  private static Value loss(Module m) {
    DType dtype = m.dtype();
    return Losses.mse(m.forward(Value.of(X.to(dtype))), Value.of(Y.to(dtype)));
  }

  private static void step(Module m, Optimizer opt) {
    opt.zeroGrad();
    loss(m).backward();
    opt.step();
  }

  private static Map<String, Function<List<Value>, Optimizer>> optimizers() {
    Map<String, Function<List<Value>, Optimizer>> all = new LinkedHashMap<>();
    all.put("SGD", p -> new SGD(p, 0.1));
    all.put("SGD Nesterov, weight decay", p -> SGD.builder(p).lr(0.1).momentum(0.9).nesterov(true)
        .weightDecay(1e-2).build());
    all.put("SGD dampened", p -> SGD.builder(p).lr(0.1).momentum(0.5).dampening(0.3).build());
    all.put("Adam", p -> new Adam(p, 1e-2));
    all.put("AdamW amsgrad", p -> Adam.adamW(p).lr(1e-2).amsgrad(true).build());
    all.put("Adam L2", p -> Adam.builder(p).lr(1e-2).weightDecay(0.1).build());
    all.put("Adamax", p -> Adamax.builder(p).lr(1e-2).weightDecay(0.1).build());
    all.put("NAdam", p -> NAdam.builder(p).lr(1e-2).build());
    all.put("RAdam", p -> RAdam.builder(p).lr(1e-2).build());
    all.put("RMSProp centered with momentum", p -> RMSProp.builder(p).lr(1e-3).centered(true).momentum(0.5).build());
    all.put("Adagrad", p -> Adagrad.builder(p).lr(1e-2).initialAccumulatorValue(0.1).lrDecay(1e-3).build());
    return all;
  }

  @TestFactory
  Stream<DynamicTest> stepsInFloat32AgreeWithFloat64() {
    return optimizers().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
      MLP wide = model(FLOAT64);
      MLP single = model(FLOAT32);
      Optimizer o64 = e.getValue().apply(wide.parameters());
      Optimizer o32 = e.getValue().apply(single.parameters());
      for (int k = 0; k < 5; k++) {
        step(wide, o64);
        step(single, o32);
      }
      assertParametersAgree(e.getKey(), wide, single);
      assertBuffersAre(FLOAT32, e.getKey(), o32.stateDict());
      assertBuffersAre(FLOAT64, e.getKey(), o64.stateDict());
    }));
  }

  private static void assertParametersAgree(String where, Module wide, Module single) {
    Map<String, Value> p64 = wide.namedParameters();
    single.namedParameters().forEach((n, p) -> {
      assertEquals(FLOAT32, p.dtype(), where + ": " + n + " stays float32");
      double[] a = p64.get(n).data().toArray();
      double[] b = p.data().toArray();
      double scale = 0;
      double worst = 0;
      for (int i = 0; i < a.length; i++) {
        scale = Math.max(scale, Math.abs(a[i]));
        worst = Math.max(worst, Math.abs(a[i] - b[i]));
      }
      assertTrue(worst <= TOLERANCE * scale, where + ": " + n + " differs by " + worst + " (scale " + scale + ")");
    });
  }

  /** The per-parameter buffers of a state (keys {@code name.index}) are of {@code dtype}; there are some. */
  private static void assertBuffersAre(DType dtype, String where, Map<String, NDArray> state) {
    int buffers = 0;
    for (Map.Entry<String, NDArray> e : state.entrySet()) {
      if (isBuffer(e.getKey())) {
        assertEquals(dtype, e.getValue().dtype(), where + ": " + e.getKey());
        buffers++;
      }
    }
    assertTrue(buffers > 0 || where.equals("SGD"), where + ": no buffers in " + state.keySet());
  }

  static boolean isBuffer(String key) {
    return key.matches("[a-z_]+\\.[0-9]+") && !key.startsWith("optimizer.");
  }

  @Test
  void anAdamStepOnAFloat32ModelMatchesTheFloat64Step() {
    MLP wide = model(FLOAT64);
    MLP single = model(FLOAT32);
    Adam a64 = new Adam(wide.parameters(), 1e-3);
    Adam a32 = new Adam(single.parameters(), 1e-3);
    step(wide, a64);
    step(single, a32);
    assertParametersAgree("one Adam step", wide, single);
    Map<String, NDArray> s32 = a32.stateDict();
    Map<String, NDArray> s64 = a64.stateDict();
    for (String k : s32.keySet()) {
      if (isBuffer(k)) {
        assertEquals(FLOAT32, s32.get(k).dtype(), k);
        Float32LayersTest.assertClose(k, s64.get(k), s32.get(k));
      }
    }
    assertTrue(s32.keySet().containsAll(List.of("m.0", "v.0", "m.3", "v.3")), s32.keySet().toString());
  }

  @Test
  void stateFollowsAModelConvertedAfterTheOptimizerWasBuilt() {
    MLP m = model(FLOAT64);
    Adam adam = new Adam(m.parameters(), 1e-2);
    step(m, adam); // float64 moments exist now
    assertBuffersAre(FLOAT64, "before", adam.stateDict());
    m.to(FLOAT32);
    assertBuffersAre(FLOAT32, "converted with the parameters", adam.stateDict());
    step(m, adam);
    m.parameters().forEach(p -> assertEquals(FLOAT32, p.dtype()));
    assertBuffersAre(FLOAT32, "after a float32 step", adam.stateDict());
    assertEquals(2, adam.stepCount());
  }

  @Test
  void savedStateKeepsOrTakesTheParametersDtype() {
    MLP single = model(FLOAT32);
    Adam a32 = Adam.builder(single.parameters()).lr(1e-2).amsgrad(true).build();
    step(single, a32);
    Map<String, NDArray> saved = a32.stateDict();
    MLP again = model(FLOAT32);
    Adam restored = Adam.builder(again.parameters()).lr(1e-2).amsgrad(true).build();
    restored.loadStateDict(saved);
    assertEquals(saved, restored.stateDict(), "a float32 state round-trips exactly");
    MLP wide = model(FLOAT64);
    Adam a64 = Adam.builder(wide.parameters()).lr(1e-2).amsgrad(true).build();
    a64.loadStateDict(saved);
    assertBuffersAre(FLOAT64, "float32 state loaded for float64 parameters", a64.stateDict());
    Map<String, NDArray> widened = a64.stateDict();
    saved.forEach((k, v) -> assertEquals(v.to(FLOAT64), widened.get(k), k));
    Adam back = Adam.builder(model(FLOAT32).parameters()).lr(1e-2).amsgrad(true).build();
    back.loadStateDict(widened);
    assertEquals(saved, back.stateDict(), "float64 state loaded for float32 parameters is rounded back");
  }

  @Test
  void lbfgsKeepsItsHistoryInFloat32AndAgreesWithFloat64() {
    MLP wide = model(FLOAT64);
    MLP single = model(FLOAT32);
    LBFGS l64 = LBFGS.builder(wide.parameters()).lr(0.5).maxIter(5).historySize(4).lineSearchFn("strong_wolfe")
        .build();
    LBFGS l32 = LBFGS.builder(single.parameters()).lr(0.5).maxIter(5).historySize(4).lineSearchFn("strong_wolfe")
        .build();
    l64.step(() -> {
      l64.zeroGrad();
      Value l = loss(wide);
      l.backward();
      return l;
    });
    l32.step(() -> {
      l32.zeroGrad();
      Value l = loss(single);
      l.backward();
      return l;
    });
    Map<String, NDArray> state = l32.stateDict();
    for (String k : List.of("lbfgs.d", "lbfgs.prev_flat_grad", "lbfgs.old_dirs", "lbfgs.old_stps")) {
      assertEquals(FLOAT32, state.get(k).dtype(), k);
      Float32LayersTest.assertClose(k, l64.stateDict().get(k), state.get(k));
    }
    assertEquals(FLOAT64, l64.stateDict().get("lbfgs.old_dirs").dtype());
    single.parameters().forEach(p -> assertEquals(FLOAT32, p.dtype()));
    Float32LayersTest.assertClose("loss after the step", loss(wide).data(), loss(single).data());
    LBFGS restored = LBFGS.builder(single.parameters()).lr(0.5).maxIter(5).historySize(4)
        .lineSearchFn("strong_wolfe").build();
    restored.loadStateDict(state);
    assertEquals(state, restored.stateDict(), "float32 LBFGS state round-trips exactly");
  }
}
