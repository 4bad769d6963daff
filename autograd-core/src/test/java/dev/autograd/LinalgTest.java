package dev.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.array.NDArray;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Linalg} as PyTorch's {@code torch.linalg}: result shapes (vector and broadcast right-hand sides, batches),
 * forward identities, gradients against closed forms (the cofactor matrix of a singular matrix among them), second
 * derivatives, and the documented errors. The finite-difference checks of every op are in {@link OpRegistryLinalg}.
 */
class LinalgTest {
  private static final SplittableRandom RNG = new SplittableRandom(11);
  private static final Value A = Value.of(new double[][] {{4, 7}, {2, 6}}); // det 10
  private static final NDArray SINGULAR = NDArray.of(new double[][] {{1, 2}, {2, 4}});
  private static final ValueFunction DET = x -> Linalg.det(x[0]);

  private static Value randn(int... shape) {
    return Value.randn(RNG, shape);
  }

  private static void assertClose(NDArray expected, NDArray actual, double tol) {
    assertArrayEquals(expected.shape(), actual.shape(), "shape");
    assertTrue(expected.allClose(actual, tol, tol), () -> "expected " + expected + "\nactual " + actual);
  }

  private static NDArray grad(ValueFunction f, NDArray x) {
    Value leaf = Value.of(x).requiresGrad(true);
    f.apply(leaf).sum().backward();
    return leaf.grad();
  }

  @Test
  void theClassSnippetRunsAndItsGradientIsAInverseTransposedPlusTheSolveTerm() {
    Value a = Value.of(new double[][] {{4, 1}, {1, 3}}).requiresGrad(true);
    Value x = Linalg.solve(a, Value.of(1.0, 2.0));
    Linalg.Eigh e = Linalg.eigh(a);
    Linalg.slogdet(a).logabsdet().add(x.sum()).backward();
    assertClose(NDArray.of((7 - Math.sqrt(5)) / 2, (7 + Math.sqrt(5)) / 2), e.eigenvalues().data(), 1e-14);
    NDArray invT = NDArray.of(new double[][] {{3, -1}, {-1, 4}}).div(11.0); // A⁻ᵀ (A symmetric, det 11)
    NDArray gb = invT.matmul(NDArray.ones(2, 1)); // solve(Aᵀ, 1)
    NDArray xs = x.data().unsqueeze(0);
    assertClose(invT.sub(gb.matmul(xs)), a.grad(), 1e-15);
  }

  @Test
  void solveShapesFollowPyTorch() {
    Value a = randn(2, 3, 3).add(Value.of(NDArray.eye(3).mul(4)));
    assertArrayEquals(new int[] {2, 3}, Linalg.solve(a, randn(3)).shape());        // vector, broadcast
    assertArrayEquals(new int[] {2, 3}, Linalg.solve(a, randn(2, 3)).shape());     // batch of vectors
    assertArrayEquals(new int[] {2, 3, 3}, Linalg.solve(a, randn(3, 3)).shape());  // a matrix, broadcast
    assertArrayEquals(new int[] {4, 2, 3, 1}, Linalg.solve(a, randn(4, 1, 3, 1)).shape());
    assertArrayEquals(new int[] {3}, Linalg.solve(a.slice(0, 0, 1).reshape(3, 3), randn(3)).shape());
    Value rightB = randn(2, 4, 3);
    Value right = Linalg.solve(a, rightB, false); // X·A = B
    assertArrayEquals(new int[] {2, 4, 3}, right.shape());
    assertClose(rightB.data(), right.matmul(a).data(), 1e-12);
  }

  @Test
  void solveAndInvForwardIdentities() {
    Value b = Value.of(1.0, 2.0);
    Value x = Linalg.solve(A, b);
    assertClose(NDArray.of(-0.8, 0.6), x.data(), 1e-15); // (6·1 − 7·2)/10, (−2·1 + 4·2)/10
    assertClose(NDArray.of(new double[][] {{0.6, -0.7}, {-0.2, 0.4}}), Linalg.inv(A).data(), 1e-15);
    Value batch = randn(3, 5, 5).add(Value.of(NDArray.eye(5).mul(5)));
    Value rhs = randn(3, 5, 2);
    assertClose(rhs.data(), batch.matmul(Linalg.solve(batch, rhs)).data(), 1e-12);
    assertClose(NDArray.eye(5).broadcastTo(3, 5, 5), batch.matmul(Linalg.inv(batch)).data(), 1e-12);
  }

  @Test
  void solveGradientsAreTheAdjointSolve() {
    Value a = A.detach().requiresGrad(true);
    Value b = Value.of(1.0, 2.0).requiresGrad(true);
    Linalg.solve(a, b).sum().backward();
    NDArray gb = Linalg.solve(A.transpose(), Value.of(1.0, 1.0)).data(); // A⁻ᵀ·1
    assertClose(gb, b.grad(), 1e-15);
    NDArray x = Linalg.solve(A, Value.of(1.0, 2.0)).data();
    assertClose(gb.unsqueeze(1).matmul(x.unsqueeze(0)).neg(), a.grad(), 1e-15); // −gB·xᵀ
  }

  @Test
  void determinantGradientIsTheCofactorMatrixAlsoWhereSingular() {
    assertClose(NDArray.of(new double[][] {{6, -2}, {-7, 4}}), grad(DET, A.data()), 1e-14);
    // rank n − 1: the SVD formula gives the cofactor matrix [[4, −2], [−2, 1]], finite where det·A⁻ᵀ is 0·∞
    assertClose(NDArray.of(new double[][] {{4, -2}, {-2, 1}}), grad(DET, SINGULAR), 1e-14);
    // rank n − 2: every 2 × 2 minor vanishes, so does the gradient
    NDArray rankOne = NDArray.of(new double[][] {{1, 2, 3}, {2, 4, 6}, {-1, -2, -3}});
    assertClose(NDArray.zeros(3, 3), grad(DET, rankOne), 1e-14);
    // a batch of both kinds: each matrix gets its own formula
    NDArray both = NDArray.stack(0, SINGULAR, A.data());
    NDArray g = grad(DET, both);
    assertClose(NDArray.of(new double[][] {{4, -2}, {-2, 1}}), g.slice(0, 0, 1).reshape(2, 2), 1e-14);
    assertClose(NDArray.of(new double[][] {{6, -2}, {-7, 4}}), g.slice(0, 1, 2).reshape(2, 2), 1e-14);
  }

  @Test
  void determinantSecondDerivativeAtASingularMatrix() {
    // d²det/dA² of a 2 × 2 matrix is constant: ∂(cofactor)/∂a_ij. Check Hessian-vector products at the singular point
    Value x = Value.of(SINGULAR).requiresGrad(true);
    Value gradient = Autograd.grad(Linalg.det(x), x, true, true);
    Value hv = Autograd.grad(gradient.mul(Value.of(new double[][] {{1, 0}, {0, 0}})).sum(), x);
    assertClose(NDArray.of(new double[][] {{0, 0}, {0, 1}}), hv.data(), 1e-12); // ∂(a11·a22 − a12·a21)/∂a22
  }

  @Test
  void slogdetSignAndLogarithm() {
    Linalg.Slogdet s = Linalg.slogdet(Value.of(new double[][] {{0, 2}, {1, 1}})); // det −2
    assertEquals(-1.0, s.sign().item(), 0.0);
    assertEquals(Math.log(2), s.logabsdet().item(), 1e-15);
    Linalg.Slogdet singular = Linalg.slogdet(Value.of(SINGULAR));
    assertEquals(0.0, singular.sign().item(), 0.0);
    assertEquals(Double.NEGATIVE_INFINITY, singular.logabsdet().item(), 0.0);
    Value batch = randn(4, 3, 3);
    Linalg.Slogdet b = Linalg.slogdet(batch);
    assertArrayEquals(new int[] {4}, b.sign().shape());
    assertClose(Linalg.det(batch).data(), b.sign().mul(b.logabsdet().exp()).data(), 1e-12);
    assertClose(Linalg.inv(A).data().transpose(), grad(x -> Linalg.slogdet(x[0]).logabsdet(), A.data()), 1e-15);
    Value leaf = A.detach().requiresGrad(true);
    assertFalse(Linalg.slogdet(leaf).sign().requiresGrad(), "the sign is piecewise constant");
  }

  @Test
  void choleskyForwardAndUpper() {
    Value a = Value.of(new double[][] {{4, 12, -16}, {12, 37, -43}, {-16, -43, 98}});
    assertClose(NDArray.of(new double[][] {{2, 0, 0}, {6, 1, 0}, {-8, 5, 3}}), Linalg.cholesky(a).data(), 1e-15);
    Value u = Linalg.cholesky(a, true);
    assertClose(a.data(), u.transpose().matmul(u).data(), 1e-13);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Linalg.cholesky(Value.of(new double[][] {{1, 2}, {2, 1}})));
    assertEquals("cholesky: A is not positive-definite: the leading minor of order 2 is not positive-definite",
        e.getMessage());
  }

  @Test
  void choleskyGradientOfLogDeterminant() {
    // log det A = 2 Σ log L_ii, whose gradient is A⁻¹ (symmetric)
    NDArray a = NDArray.of(new double[][] {{4, 2, 0.5}, {2, 5, 1}, {0.5, 1, 3}});
    NDArray g = grad(x -> Linalg.cholesky(x[0]).mul(Value.of(NDArray.eye(3))).sum(-1).log().mul(2.0), a);
    assertClose(Linalg.inv(Value.of(a)).data(), g, 1e-14);
  }

  @Test
  void solveTriangularLeftAndRight() {
    Value l = Value.of(new double[][] {{2, 99}, {1, 4}}); // 99 is above the diagonal: never read
    Value b = Value.of(new double[][] {{2, 4}, {9, 6}});
    Value lower = Value.of(new double[][] {{2, 0}, {1, 4}});
    assertClose(b.data(), lower.matmul(Linalg.solveTriangular(l, b, false)).data(), 1e-15);
    Value right = Linalg.solveTriangular(l, b, false, false, false); // X·L = B
    assertClose(b.data(), right.matmul(lower).data(), 1e-15);
    Value unit = Linalg.solveTriangular(l, b, false, true, true);
    assertClose(b.data(), Value.of(new double[][] {{1, 0}, {1, 1}}).matmul(unit).data(), 1e-15);
    NDArray g = grad(x -> Linalg.solveTriangular(x[0], b, true), l.data());
    assertEquals(0.0, g.get(1, 0), 0.0); // the unread triangle gets no gradient
  }

  @Test
  void qrForward() {
    Value a = randn(2, 5, 3);
    Linalg.QR f = Linalg.qr(a);
    assertClose(a.data(), f.q().matmul(f.r()).data(), 1e-13);
    assertClose(NDArray.eye(3).broadcastTo(2, 3, 3), f.q().transpose().matmul(f.q()).data(), 1e-13);
    Linalg.QR wide = Linalg.qr(randn(2, 4));
    assertArrayEquals(new int[] {2, 2}, wide.q().shape());
    assertArrayEquals(new int[] {2, 4}, wide.r().shape());
  }

  @Test
  void eighForwardAndEigenvalueGradient() {
    Value s = Value.of(new double[][] {{2, 1}, {1, 2}});
    Linalg.Eigh e = Linalg.eigh(s);
    assertClose(NDArray.of(1, 3), e.eigenvalues().data(), 1e-15);
    Value v = e.eigenvectors();
    assertClose(s.data(), v.mul(e.eigenvalues().unsqueeze(-2)).matmul(v.transpose()).data(), 1e-15);
    // dλ_i/dA = v_i v_iᵀ
    NDArray g = grad(x -> Linalg.eigh(x[0]).eigenvalues().mul(Value.of(0.0, 1.0)), s.data());
    assertClose(NDArray.of(new double[][] {{0.5, 0.5}, {0.5, 0.5}}), g, 1e-15);
    // the sum of the eigenvalues is the trace: gradient I, also at a repeated eigenvalue
    assertClose(NDArray.eye(3), grad(x -> Linalg.eigvalsh(x[0]), NDArray.eye(3).mul(2)), 1e-15);
    assertClose(NDArray.eye(3), grad(x -> Linalg.eigh(x[0]).eigenvalues(), NDArray.eye(3).mul(2)), 1e-15);
  }

  @Test
  void eigenvectorGradientAtARepeatedEigenvalueIsUndefined() {
    Value leaf = Value.of(NDArray.eye(2)).requiresGrad(true);
    Value vec = Linalg.eigh(leaf).eigenvectors();
    vec.mul(vec).mul(Value.of(new double[][] {{1, 2}, {3, 4}})).sum().backward();
    assertFalse(leaf.grad().allFinite(), "documented: infinite or NaN, as in PyTorch");
  }

  @Test
  void svdForwardAndSingularValueGradient() {
    Value a = randn(3, 6, 4);
    Linalg.SVD f = Linalg.svd(a);
    assertClose(a.data(), f.u().mul(f.s().unsqueeze(-2)).matmul(f.vh()).data(), 1e-13);
    assertClose(f.s().data(), Linalg.svdvals(a).data(), 0.0);
    // d(Σ S)/dA = U·Vh, the polar factor; at 2·I with repeated values it is I
    assertClose(NDArray.eye(3), grad(x -> Linalg.svdvals(x[0]), NDArray.eye(3).mul(2)), 1e-15);
    assertClose(NDArray.eye(3), grad(x -> Linalg.svd(x[0]).s(), NDArray.eye(3).mul(2)), 1e-15);
    NDArray m = randn(4, 3).data();
    Linalg.SVD g = Linalg.svd(Value.of(m));
    assertClose(g.u().matmul(g.vh()).data(), grad(x -> Linalg.svdvals(x[0]), m), 1e-13);
  }

  @Test
  void spectralNormSecondDerivativeMatchesFiniteDifferences() {
    GradCheck.create().verifySecondOrder(x -> Linalg.svdvals(x[0]).slice(0, 0, 1), randn(3, 3).data());
    GradCheck.create().verifySecondOrder(x -> Linalg.eigvalsh(x[0].add(x[0].transpose())), randn(3, 3).data());
  }

  @Test
  void opsRunWithoutRecordingUnderNoGrad() {
    Value leaf = randn(3, 3).requiresGrad(true);
    try (ModeScope scope = Autograd.noGrad()) {
      assertFalse(Linalg.svd(leaf).u().requiresGrad());
      assertFalse(Linalg.det(leaf).requiresGrad());
    }
  }

  @Test
  void errorsNameTheOpTheShapesAndTheBatchElement() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Linalg.inv(Value.of(NDArray.stack(0, NDArray.eye(2), NDArray.eye(2), SINGULAR))));
    assertTrue(e.getMessage().startsWith("inv: A is singular (batch element [2])"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Linalg.solve(Value.of(NDArray.eye(3)), randn(2, 3)));
    assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[3, 3]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Linalg.eigh(Value.of(new double[][] {{Double.NaN, 0}, {0, 1}})));
    assertTrue(e.getMessage().startsWith("eigh: A contains NaN or infinity"), e.getMessage());
  }
}
