package dev.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.array.NDArray;
import org.junit.jupiter.api.Test;

/** The documented choices at points where an op is not differentiable. */
class SubgradientConventionsTest {

  private static double[] gradAt(ValueFunction f, double... x) {
    Value v = Value.of(x).requiresGrad(true);
    f.apply(v).sum().backward();
    return v.grad().toArray();
  }

  @Test
  void reluHasZeroSlopeAtZero() {
    assertArrayEquals(new double[] {0, 0, 1}, gradAt(x -> x[0].relu(), -1, 0, 2));
  }

  @Test
  void reluPassesNaNThroughInBothLanes() {
    assertTrue(Double.isNaN(Value.scalar(Double.NaN).relu().item()), "scalar lane");
    assertTrue(Double.isNaN(Value.of(Double.NaN, 1.0).relu().data().toArray()[0]), "array lane");
  }

  @Test
  void leakyReluUsesTheLeakSlopeAtZero() {
    assertArrayEquals(new double[] {0.1, 0.1, 1}, gradAt(x -> x[0].leakyRelu(0.1), -1, 0, 2));
  }

  @Test
  void absHasZeroSlopeAtZero() {
    assertArrayEquals(new double[] {-1, 0, 1}, gradAt(x -> x[0].abs(), -3, 0, 3));
  }

  @Test
  void tiedMaximaAndMinimaShareTheGradientEvenly() {
    assertArrayEquals(new double[] {0.5, 0, 0.5}, gradAt(x -> x[0].max(), 3, 1, 3));
    assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}, gradAt(x -> x[0].min(), 2, 2, 2));
    Value m = Value.of(new double[][] {{1, 5, 5}, {7, 2, 7}}).requiresGrad(true);
    m.max(new int[] {1}, false).sum().backward();
    assertArrayEquals(new double[] {0, 0.5, 0.5, 0.5, 0, 0.5}, m.grad().toArray());
  }

  @Test
  void tiesInMaximumAndMinimumSplitBetweenTheOperands() {
    Value a = Value.of(1, 2, 3).requiresGrad(true);
    Value b = Value.of(3, 2, 1).requiresGrad(true);
    a.maximum(b).sum().backward();
    assertArrayEquals(new double[] {0, 0.5, 1}, a.grad().toArray());
    assertArrayEquals(new double[] {1, 0.5, 0}, b.grad().toArray());
    a.zeroGrad();
    b.zeroGrad();
    a.minimum(b).sum().backward();
    assertArrayEquals(new double[] {1, 0.5, 0}, a.grad().toArray());
  }

  @Test
  void zeroExponentGivesZeroGradientEvenAtZero() {
    assertArrayEquals(new double[] {0, 0}, gradAt(x -> x[0].pow(0), 0, 2));
    Value x = Value.of(0.0, 2.0).requiresGrad(true);
    Value p = Value.of(0.0, 0.0).requiresGrad(true);
    x.pow(p).sum().backward();
    assertArrayEquals(new double[] {0, 0}, x.grad().toArray());
    assertArrayEquals(new double[] {0, Math.log(2)}, p.grad().toArray(), 1e-15);
  }

  @Test
  void clampPassesTheGradientOnItsBounds() {
    assertArrayEquals(new double[] {0, 1, 1, 1, 0}, gradAt(x -> x[0].clamp(-1, 1), -2, -1, 0, 1, 2));
  }

  @Test
  void whereSendsNothingToTheUnselectedBranch() {
    Value a = Value.of(1, 2).requiresGrad(true);
    Value b = Value.of(3, 4).requiresGrad(true);
    Value.where(Value.of(NDArray.of(1, 0)), a, b).sum().backward();
    assertArrayEquals(new double[] {1, 0}, a.grad().toArray());
    assertArrayEquals(new double[] {0, 1}, b.grad().toArray());
  }

  @Test
  void softmaxAndLogSumExpStayFiniteForHugeLogits() {
    Value z = Value.of(1000, -1000, 0).requiresGrad(true);
    Value lse = z.logSumExp(new int[] {0}, false);
    lse.backward();
    assertEquals(1000.0, lse.item(), 1e-12);
    assertArrayEquals(new double[] {1, 0, 0}, z.grad().toArray(), 1e-12);
  }
}
