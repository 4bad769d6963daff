package dev.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autograd.Value;
import dev.autograd.array.NDArray;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Deterministic test data that a Python script can rebuild exactly (element i of the flat array is
 * scale·sin(0.7·i + phase)), so reference numbers from torch 1.13 can be pasted into tests; and a finite-difference
 * check of parameter gradients, which {@code GradCheck} (over inputs) does not reach.
 */
final class Waves {
  private Waves() {}

  static NDArray wave(double phase, double scale, int... shape) {
    int n = 1;
    for (int s : shape) {
      n *= s;
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = scale * Math.sin(0.7 * i + phase);
    }
    return NDArray.fromFlat(v, shape);
  }

  /** Sets the k-th parameter (in {@code namedParameters} order) to {@code wave(phase + k, scale)}, as the script does. */
  static void setWaves(Module m, double phase, double scale) {
    int k = 0;
    for (Value p : m.parameters()) {
      p.setData(wave(phase + k++, scale, p.shape()));
    }
  }

  /**
   * Central differences of {@code loss} (a scalar) against each parameter element, compared with the gradients of
   * one backward pass.
   */
  static void verifyParameterGradients(Module m, Supplier<Value> loss, double tol) {
    m.zeroGrad();
    loss.get().backward();
    for (Map.Entry<String, Value> e : m.namedParameters().entrySet()) {
      Value p = e.getValue();
      double[] analytic = p.grad() == null ? new double[p.size()] : p.grad().toArray();
      double[] base = p.data().toArray();
      for (int i = 0; i < base.length; i++) {
        double h = 1e-6;
        double[] plus = base.clone();
        plus[i] += h;
        p.setData(NDArray.fromFlat(plus, p.shape()));
        double up = loss.get().item();
        double[] minus = base.clone();
        minus[i] -= h;
        p.setData(NDArray.fromFlat(minus, p.shape()));
        double down = loss.get().item();
        p.setData(NDArray.fromFlat(base, p.shape()));
        double numeric = (up - down) / (2 * h);
        assertEquals(numeric, analytic[i], tol * (1 + Math.abs(numeric)), e.getKey() + "[" + i + "]");
      }
    }
  }

  /** A random-looking but fixed linear functional of {@code y}, so every output element matters in a check. */
  static Value project(Value y) {
    return y.mul(Value.of(wave(0.37, 1.0, y.shape()))).sum();
  }
}
