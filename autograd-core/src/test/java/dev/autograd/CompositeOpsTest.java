package dev.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Forward values of the composite shape and statistics ops, against NumPy's and PyTorch's definitions. */
class CompositeOpsTest {
  private static final Value M = Value.of(new double[][] {{1, 2, 3}, {4, 5, 7}});

  @Test
  void shapes() {
    assertArrayEquals(new int[] {2, 1, 3}, M.unsqueeze(1).shape());
    assertArrayEquals(new int[] {2, 3, 1}, M.unsqueeze(-1).shape());
    assertArrayEquals(new int[] {3}, Value.zeros(1, 3, 1).squeeze().shape());
    assertArrayEquals(new int[] {1, 3}, Value.zeros(1, 3, 1).squeeze(2, 1).shape());
    assertArrayEquals(new int[] {6}, M.flatten().shape());
    assertArrayEquals(new int[] {2, 12, 5}, Value.zeros(2, 3, 4, 5).flatten(1, 2).shape());
  }

  @Test
  void flipAndLerp() {
    assertArrayEquals(new double[] {3, 2, 1, 7, 5, 4}, M.flip(1).data().toArray(), 0.0);
    assertArrayEquals(new double[] {7, 5, 4, 3, 2, 1}, M.flip(0, 1).data().toArray(), 0.0);
    Value lerp = Value.of(1.0, 2.0).lerp(Value.of(3.0, 6.0), Value.scalar(0.25));
    assertArrayEquals(new double[] {1.5, 3.0}, lerp.data().toArray(), 0.0);
  }

  @Test
  void varianceAndDeviationAsNumPy() {
    // numpy.var([1, 2, 3, 4, 5, 7], ddof=1) = 14/3 (squared deviations sum to 70/3), ddof=0: 35/9
    assertEquals(14.0 / 3, M.var().item(), 1e-12);
    assertEquals(35.0 / 9, M.var(new int[0], 0, false).item(), 1e-12);
    assertArrayEquals(new double[] {1.0, 7.0 / 3}, M.var(1).data().toArray(), 1e-12);
    assertArrayEquals(new double[] {Math.sqrt(4.5), Math.sqrt(4.5), Math.sqrt(8)}, M.std(0).data().toArray(), 1e-12);
    assertEquals(Double.NaN, Value.of(5.0).var().item()); // one element, correction 1: 0/0, as torch.var
  }

  @Test
  void rollRepeatTrianglesAndDiagonals() {
    assertArrayEquals(new double[] {3, 1, 2, 7, 4, 5}, M.roll(1, 1).data().toArray(), 0.0);
    assertArrayEquals(new double[] {2, 3, 1, 5, 7, 4}, M.roll(-4, 1).data().toArray(), 0.0);
    assertArrayEquals(new double[] {1, 2, 1, 2, 1, 2, 1, 2}, Value.of(1, 2).repeat(2, 2).data().toArray(), 0.0);
    assertArrayEquals(new int[] {2, 4}, Value.of(1, 2).repeat(2, 2).shape());
    assertArrayEquals(new double[] {1, 0, 0, 4, 5, 0}, M.tril(0).data().toArray(), 0.0);
    assertArrayEquals(new double[] {0, 2, 3, 0, 0, 7}, M.triu(1).data().toArray(), 0.0);
    assertArrayEquals(new double[] {1, 5}, M.diag().data().toArray(), 0.0);
    assertArrayEquals(new double[] {1, 0, 0, 2}, Value.of(1, 2).diag().data().toArray(), 0.0);
    assertEquals(6.0, M.trace().item());
  }

  @Test
  void cumsumAlongEitherAxis() {
    assertArrayEquals(new double[] {1, 3, 6, 4, 9, 16}, M.cumsum(1).data().toArray(), 0.0);
    assertArrayEquals(new double[] {1, 2, 3, 5, 7, 10}, M.cumsum(0).data().toArray(), 0.0);
    Value x = Value.of(1.0, 2.0, 3.0).requiresGrad(true);
    x.cumsum(0).mul(Value.of(1.0, 10.0, 100.0)).sum().backward(); // d/dx_j = Σ_{i >= j} w_i
    assertArrayEquals(new double[] {111, 110, 100}, x.grad().toArray(), 0.0);
  }
}
