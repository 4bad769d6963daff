package dev.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.Value;
import dev.autograd.array.NDArray;
import dev.autograd.nn.optim.Adam;
import dev.autograd.nn.optim.Optimizer;
import dev.autograd.nn.optim.SGD;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Behaviour that used to differ from PyTorch, each case computed by hand from PyTorch's definitions. */
class PyTorchParityTest {
  @Test
  void adamCountsStepsPerParameter() {
    Value always = Value.of(1.0).requiresGrad(true);
    Value late = Value.of(1.0).requiresGrad(true);
    Adam adam = Adam.builder(List.of(always, late)).lr(0.1).build();
    double m = 0;
    double v = 0;
    double expected = 1.0;
    for (int step = 1; step <= 11; step++) {
      always.setGrad(NDArray.of(0.5));
      boolean lateHasGrad = step > 3; // no gradient for the first three steps
      late.setGrad(lateHasGrad ? NDArray.of(2.0 - 0.1 * step) : null);
      adam.step();
      if (lateHasGrad) { // PyTorch's Adam with this parameter's own step count t = step - 3
        int t = step - 3;
        double g = 2.0 - 0.1 * step;
        m = 0.9 * m + 0.1 * g;
        v = 0.999 * v + 0.001 * g * g;
        double mHat = m / (1 - Math.pow(0.9, t));
        double vHat = v / (1 - Math.pow(0.999, t));
        expected -= 0.1 * mHat / (Math.sqrt(vHat) + 1e-8);
        if (t == 1) {
          assertEquals(1.0 - 0.1, late.item(), 1e-7, "the first real step moves by lr");
        }
      }
      assertEquals(expected, late.item(), 1e-12, "after step " + step);
    }
  }

  @Test
  void crossEntropyAndNllStayFiniteWithMaskedLogits() {
    double inf = Double.POSITIVE_INFINITY;
    Value logits = Value.of(new double[][] {{0.0, -inf, 1.0}, {-inf, 2.0, -inf}}).requiresGrad(true);
    Value loss = Losses.crossEntropy(logits, new int[] {2, 1});
    // row 0: −log(e¹ / (e⁰ + e¹)) = log(1 + e⁻¹); row 1: −log(1) = 0
    assertEquals(Math.log1p(Math.exp(-1)) / 2, loss.item(), 1e-15);
    loss.backward();
    for (double g : logits.grad().toArray()) {
      assertTrue(Double.isFinite(g), "gradient " + logits.grad());
    }
    assertEquals(0.0, logits.grad().get(0, 1)); // a masked logit gets no gradient
    Value logP = logits.detach().logSoftmax(1);
    assertEquals(Math.log1p(Math.exp(-1)) / 2, Losses.nll(logP, new int[] {2, 1}).item(), 1e-15);
  }

  @Test
  void labelsMayBeValuesOfClassIndices() {
    Value logits = Value.of(new double[][] {{0.2, -1.0, 0.5}, {1.5, 0.1, -0.3}});
    assertEquals(Losses.crossEntropy(logits, new int[] {2, 0}).item(),
        Losses.crossEntropy(logits, Value.of(2, 0)).item(), 0.0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Losses.crossEntropy(logits, Value.of(2, 0.5)));
    assertTrue(e.getMessage().contains("crossEntropy") && e.getMessage().contains("0.5"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(logits, new int[] {3, 0}));
    assertTrue(e.getMessage().contains("crossEntropy") && e.getMessage().contains("[0, 3)"), e.getMessage());
  }

  @Test
  void labelSmoothingMatchesPyTorchsDefinition() {
    Value logits = Value.of(new double[][] {{0.2, -1.0, 0.5}});
    double[] logP = logits.logSoftmax(1).data().toArray();
    double eps = 0.1;
    double expected = (1 - eps) * -logP[2] + eps * -(logP[0] + logP[1] + logP[2]) / 3;
    assertEquals(expected, Losses.crossEntropy(logits, new int[] {2}, eps, Reduction.MEAN).item(), 1e-15);
  }

  @Test
  void anOptimizersStateLoadsOnlyIntoTheSameKind() {
    Value p = Value.of(1.0, 2.0).requiresGrad(true);
    p.setGrad(NDArray.of(0.1, 0.2));
    Optimizer adam = Adam.builder(List.of(p)).lr(0.1).build();
    adam.step();
    Map<String, NDArray> adamState = adam.stateDict();
    Optimizer sgd = SGD.builder(List.of(p)).lr(0.1).momentum(0.9).build();
    sgd.step();
    Map<String, NDArray> sgdState = sgd.stateDict();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sgd.loadStateDict(adamState));
    assertTrue(e.getMessage().contains("Adam") && e.getMessage().contains("SGD"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> adam.loadStateDict(sgdState));
    sgd.loadStateDict(sgdState); // its own kind loads
  }
}
