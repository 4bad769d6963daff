package dev.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autograd.array.NDArray;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** torch.autograd.functional-style helpers against closed forms and against each other. */
class FunctionalTest {
  private static final SplittableRandom RNG = new SplittableRandom(11);
  /** f(x, y) = tanh(A·x) ⊙ y: a vector function of two inputs. */
  private static final NDArray A = NDArray.randn(RNG, 3, 4);
  private static final ValueFunction F = xs -> Value.of(A).matmul(xs[0]).tanh().mul(xs[1]);

  @Test
  void jacobianMatchesTheClosedForm() {
    NDArray x = NDArray.randn(RNG, 4);
    NDArray y = NDArray.randn(RNG, 3);
    List<NDArray> j = Functional.jacobian(F, x, y);
    assertArrayEquals(new int[] {3, 4}, j.get(0).shape());
    assertArrayEquals(new int[] {3, 3}, j.get(1).shape());
    double[] ax = A.matmul(x).toArray();
    for (int i = 0; i < 3; i++) {
      double t = Math.tanh(ax[i]);
      for (int k = 0; k < 4; k++) { // ∂fᵢ/∂xₖ = (1 − tanh²) Aᵢₖ yᵢ
        assertEquals((1 - t * t) * A.get(i, k) * y.get(i), j.get(0).get(i, k), 1e-12);
      }
      for (int k = 0; k < 3; k++) {
        assertEquals(i == k ? t : 0.0, j.get(1).get(i, k), 1e-12);
      }
    }
  }

  @Test
  void vjpAndJvpAreProductsWithTheJacobian() {
    NDArray x = NDArray.randn(RNG, 4);
    NDArray y = NDArray.randn(RNG, 3);
    List<NDArray> j = Functional.jacobian(F, x, y);
    NDArray v = NDArray.randn(RNG, 3);
    Functional.Result vjp = Functional.vjp(F, v, x, y);
    assertArrayEquals(v.reshape(1, 3).matmul(j.get(0)).reshape(4).toArray(), vjp.product().get(0).toArray(), 1e-12);
    assertArrayEquals(v.reshape(1, 3).matmul(j.get(1)).reshape(3).toArray(), vjp.product().get(1).toArray(), 1e-12);
    NDArray tx = NDArray.randn(RNG, 4);
    NDArray ty = NDArray.randn(RNG, 3);
    Functional.Result jvp = Functional.jvp(F, List.of(tx, ty), x, y);
    NDArray expected = j.get(0).matmul(tx).add(j.get(1).matmul(ty));
    assertArrayEquals(expected.toArray(), jvp.product().get(0).toArray(), 1e-12);
    assertArrayEquals(F.apply(Value.of(x), Value.of(y)).data().toArray(), jvp.output().toArray(), 0.0);
  }

  @Test
  void hessianAndHvpOfAQuadraticFormAreExact() {
    NDArray m = NDArray.randn(RNG, 3, 3);
    NDArray sym = m.add(m.transpose()); // f(x) = ½ xᵀ S x has Hessian S
    ValueFunction f = xs -> xs[0].mul(Value.of(sym).matmul(xs[0])).sum().mul(0.5);
    NDArray x = NDArray.randn(RNG, 3);
    NDArray h = Functional.hessian(f, x);
    assertArrayEquals(sym.copy().toArray(), h.toArray(), 1e-12);
    NDArray v = NDArray.randn(RNG, 3);
    assertArrayEquals(sym.matmul(v).toArray(), Functional.hvp(f, v, x).toArray(), 1e-12);
  }

  @Test
  void linearAndConstantFunctionsHaveZeroSecondDerivatives() {
    NDArray x = NDArray.randn(RNG, 2);
    assertArrayEquals(new double[4], Functional.hessian(xs -> xs[0].mul(3.0).sum(), x).toArray(), 0.0);
    assertArrayEquals(new double[2], Functional.hvp(xs -> xs[0].sum(), NDArray.of(1, 1), x).toArray(), 0.0);
    assertArrayEquals(new double[2], Functional.jacobian(xs -> Value.scalar(2.0), x).get(0).toArray(), 0.0);
  }
}
