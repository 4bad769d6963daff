package dev.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.autograd.array.DType;
import dev.autograd.array.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every sample of the op table ({@link OpRegistry}) in float32 and compares it with the same sample in float64
 * on the same (float32-representable) inputs: the result and every input's gradient must be float32 and agree with
 * float64 to float32 accuracy. Index-valued results (argmax, argsort) stay float64, as PyTorch's stay int64.
 */
class Float32OpTableTest {
  /** Relative to the largest magnitude of the float64 result: a few hundred float32 roundings. */
  private static final double TOLERANCE = 2e-5;
  private static final double GRAD_TOLERANCE = 1e-4;

  @TestFactory
  Stream<DynamicContainer> everyOpAgreesWithFloat64() {
    return OpRegistry.all().values().stream().map(op -> {
      List<DynamicTest> tests = new ArrayList<>();
      for (OpRegistry.Sample s : op.samples) {
        tests.add(DynamicTest.dynamicTest(s.description(), () -> compare(op.name + ", " + s.description(), s)));
      }
      return DynamicContainer.dynamicContainer(op.name, tests);
    });
  }

  private static void compare(String where, OpRegistry.Sample s) {
    NDArray[] single = new NDArray[s.inputs().length];
    NDArray[] wide = new NDArray[single.length];
    for (int i = 0; i < single.length; i++) {
      single[i] = s.inputs()[i].to(DType.FLOAT32);
      wide[i] = single[i].to(DType.FLOAT64);
    }
    Value[] xs32 = leaves(single);
    Value[] xs64 = leaves(wide);
    Value y32 = s.fn().apply(xs32);
    Value y64 = s.fn().apply(xs64);
    assertEquals(DType.FLOAT32, y32.dtype(), where + ": result dtype");
    assertClose(where + ": result", y64.data(), y32.data(), TOLERANCE);
    if (!y64.requiresGrad()) {
      return;
    }
    NDArray seed = NDArray.uniform(new SplittableRandom(7), -1, 1, y64.shape()).to(DType.FLOAT32);
    y32.backward(seed, false);
    y64.backward(seed.to(DType.FLOAT64), false);
    for (int i = 0; i < xs32.length; i++) {
      if (xs64[i].grad() == null) {
        continue;
      }
      NDArray g32 = xs32[i].grad();
      assertNotNull(g32, where + ": no float32 gradient for input " + i);
      assertEquals(DType.FLOAT32, g32.dtype(), where + ": gradient dtype of input " + i);
      assertClose(where + ": gradient of input " + i, xs64[i].grad(), g32, GRAD_TOLERANCE);
    }
  }

  private static Value[] leaves(NDArray[] inputs) {
    Value[] xs = new Value[inputs.length];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = Value.of(inputs[i]).requiresGrad(true);
    }
    return xs;
  }

  /** |a − e| ≤ tol·(max|e| + 1) elementwise, NaN where NaN, infinities equal. */
  static void assertClose(String what, NDArray expected, NDArray actual, double tol) {
    assertEquals(List.of(expected.shape().length), List.of(actual.shape().length), what + ": rank");
    double[] e = expected.toArray();
    double[] a = actual.toArray();
    assertEquals(e.length, a.length, what + ": size");
    double scale = 1;
    for (double v : e) {
      if (Double.isFinite(v)) {
        scale = Math.max(scale, Math.abs(v));
      }
    }
    for (int i = 0; i < e.length; i++) {
      boolean same = Double.isNaN(e[i]) ? Double.isNaN(a[i])
          : Double.isInfinite(e[i]) ? a[i] == e[i] || Math.abs(e[i]) > Float.MAX_VALUE
          : Math.abs(a[i] - e[i]) <= tol * scale || Math.abs(e[i]) > Float.MAX_VALUE;
      if (!same) {
        throw new AssertionError(String.format("%s: element %d is %s in float32, %s in float64 (tolerance %.1g × %.3g)",
            what, i, a[i], e[i], tol, scale));
      }
    }
  }

}
