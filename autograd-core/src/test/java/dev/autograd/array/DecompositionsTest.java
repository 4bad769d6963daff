package dev.autograd.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The decomposition kernels against their defining identities (A·X = B, Q·R = A, V·diag(w)·Vᵀ = A,
 * U·diag(S)·Vh = A, orthonormal factors) to about 1e-13 relative, on sizes up to 40, on batches, and on hostile
 * inputs: singular and rank-deficient matrices, zero matrices, repeated eigenvalues, extreme scales.
 */
class DecompositionsTest {
  private static final SplittableRandom RNG = new SplittableRandom(7);

  private static NDArray randn(int... shape) {
    return NDArray.randn(RNG, shape);
  }

  private static NDArray t(NDArray a) {
    return a.transpose(-2, -1);
  }

  /** max |a − b| / max(1, max |b|). */
  private static double relErr(NDArray a, NDArray b) {
    double scale = Math.max(1e-300, b.abs().max().item());
    return a.sub(b).abs().max().item() / scale;
  }

  private static void assertClose(NDArray expected, NDArray actual, double tol) {
    assertArrayEquals(expected.shape(), actual.shape());
    double err = relErr(actual, expected);
    assertTrue(err <= tol, () -> "relative error " + err + " above " + tol + "\nexpected " + expected + "\nactual "
        + actual);
  }

  private static NDArray eyeLike(int n, int... batch) {
    int[] shape = java.util.Arrays.copyOf(batch, batch.length + 2);
    shape[batch.length] = n;
    shape[batch.length + 1] = n;
    return NDArray.eye(n).broadcastTo(shape);
  }

  /** [..., k] to [..., k, k] diagonal. */
  private static NDArray diag(NDArray v) {
    int k = v.shape()[v.rank() - 1];
    return v.unsqueeze(-1).mul(NDArray.eye(k));
  }

  private static NDArray symmetric(int... shape) {
    NDArray x = randn(shape);
    return x.add(t(x));
  }

  // ------------------------------------------------------------------ LU family

  @Test
  void solveAndInverseSatisfyTheirDefinitions() {
    for (int n : new int[] {1, 2, 5, 17, 40}) {
      NDArray a = randn(3, n, n);
      NDArray b = randn(3, n, 4);
      NDArray x = Decompositions.solve(a, b);
      assertClose(b, a.matmul(x), 1e-11);
      assertClose(eyeLike(n, 3), a.matmul(Decompositions.inv(a)), 1e-11);
    }
  }

  @Test
  void solveIsBackwardStableOnAnIllConditionedHilbertMatrix() {
    int n = 8; // cond ≈ 1.5e10
    double[] h = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        h[i * n + j] = 1.0 / (i + j + 1);
      }
    }
    NDArray a = NDArray.fromFlat(h, n, n);
    NDArray ones = NDArray.ones(n, 1);
    NDArray b = a.matmul(ones);
    NDArray x = Decompositions.solve(a, b);
    double residual = a.matmul(x).sub(b).abs().max().item();
    assertTrue(residual < 1e-14, "residual " + residual);
    assertTrue(x.sub(ones).abs().max().item() < 1e-4, "forward error within cond · ε");
  }

  @Test
  void determinantsOfKnownMatrices() {
    assertEquals(-2.0, Decompositions.det(NDArray.of(new double[][] {{1, 2}, {3, 4}})).item(), 0.0);
    assertEquals(-306.0, Decompositions.det(NDArray.of(new double[][] {{6, 1, 1}, {4, -2, 5}, {2, 8, 7}})).item(),
        1e-12);
    assertEquals(0.0, Decompositions.det(NDArray.of(new double[][] {{1, 2}, {2, 4}})).item(), 0.0);
    // a permutation matrix: det is the sign of the permutation, found through the pivoting alone
    assertEquals(-1.0, Decompositions.det(NDArray.of(new double[][] {{0, 1, 0}, {1, 0, 0}, {0, 0, 1}})).item(), 0);
    assertEquals(1.0, Decompositions.det(NDArray.of(new double[][] {{0, 1, 0}, {0, 0, 1}, {1, 0, 0}})).item(), 0);
    NDArray batch = NDArray.stack(0, NDArray.eye(3).mul(2), NDArray.eye(3).mul(-1));
    assertArrayEquals(new double[] {8, -1}, Decompositions.det(batch).toArray(), 0.0);
    assertEquals(1.0, Decompositions.det(NDArray.zeros(0, 0)).item(), 0.0); // the empty product, as PyTorch
  }

  @Test
  void slogdetMatchesDetAndDoesNotOverflow() {
    NDArray a = randn(4, 6, 6);
    NDArray[] sl = Decompositions.slogdet(a);
    NDArray det = Decompositions.det(a);
    assertClose(det, sl[0].mul(sl[1].exp()), 1e-12);
    NDArray big = NDArray.eye(200).mul(10.0); // det = 1e200 · 1e200 overflows; log|det| = 200 log 10
    NDArray[] bigSl = Decompositions.slogdet(big);
    assertEquals(1.0, bigSl[0].item(), 0.0);
    assertEquals(200 * Math.log(10), bigSl[1].item(), 1e-10);
    NDArray[] singular = Decompositions.slogdet(NDArray.of(new double[][] {{1, 2}, {2, 4}}));
    assertEquals(0.0, singular[0].item(), 0.0);
    assertEquals(Double.NEGATIVE_INFINITY, singular[1].item(), 0.0);
  }

  @Test
  void singularAndNonFiniteMatricesAreRefusedNamingTheBatchElement() {
    NDArray singular = NDArray.stack(0, NDArray.eye(2), NDArray.of(new double[][] {{1, 2}, {2, 4}}))
        .reshape(1, 2, 2, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Decompositions.solve(singular, NDArray.ones(1, 2, 2, 1)));
    assertTrue(e.getMessage().contains("singular") && e.getMessage().contains("[0, 1]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Decompositions.inv(NDArray.zeros(3, 3)));
    assertTrue(e.getMessage().startsWith("inv: A is singular"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Decompositions.det(NDArray.of(new double[][] {{1, Double.POSITIVE_INFINITY}, {0, 1}})));
    assertTrue(e.getMessage().contains("det: A contains NaN or infinity"), e.getMessage());
  }

  // ------------------------------------------------------------------ Cholesky and triangular

  @Test
  void choleskyReconstructsAndReadsOnlyTheLowerTriangle() {
    NDArray known = NDArray.of(new double[][] {{4, 12, -16}, {12, 37, -43}, {-16, -43, 98}});
    assertClose(NDArray.of(new double[][] {{2, 0, 0}, {6, 1, 0}, {-8, 5, 3}}), Decompositions.cholesky(known), 1e-15);
    for (int n : new int[] {1, 4, 30}) {
      NDArray x = randn(2, n, n);
      NDArray a = x.matmul(t(x)).add(NDArray.eye(n));
      NDArray l = Decompositions.cholesky(a);
      assertClose(a, l.matmul(t(l)), 1e-13);
      assertEquals(0.0, l.sub(l.mul(lowerMask(n))).abs().max().item(), 0.0);
      NDArray garbageAbove = a.add(NDArray.ones(n, n).sub(lowerMask(n)).mul(1e3));
      assertEquals(l, Decompositions.cholesky(garbageAbove));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Decompositions.cholesky(NDArray.of(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, -1e-300}})));
    assertTrue(e.getMessage().contains("leading minor of order 3"), e.getMessage());
  }

  private static NDArray lowerMask(int n) {
    double[] d = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        d[i * n + j] = 1;
      }
    }
    return NDArray.fromFlat(d, n, n);
  }

  @Test
  void triangularSolvesReadOnlyTheirTriangle() {
    int n = 6;
    NDArray a = randn(2, n, n).add(NDArray.eye(n).mul(5));
    NDArray b = randn(2, n, 3);
    NDArray lower = a.mul(lowerMask(n));
    NDArray upper = a.mul(t(lowerMask(n)));
    assertClose(b, lower.matmul(Decompositions.solveTriangular(a, b, false, false)), 1e-13);
    assertClose(b, upper.matmul(Decompositions.solveTriangular(a, b, true, false)), 1e-13);
    NDArray unitLower = lower.sub(lower.mul(NDArray.eye(n))).add(NDArray.eye(n));
    assertClose(b, unitLower.matmul(Decompositions.solveTriangular(a, b, false, true)), 1e-13);
  }

  // ------------------------------------------------------------------ QR

  @Test
  void qrReconstructsWithOrthonormalQAndNonNegativeDiagonal() {
    for (int[] mn : new int[][] {{1, 1}, {4, 4}, {7, 3}, {3, 7}, {40, 25}}) {
      NDArray a = randn(2, mn[0], mn[1]);
      NDArray[] f = Decompositions.qr(a);
      int k = Math.min(mn[0], mn[1]);
      assertArrayEquals(new int[] {2, mn[0], k}, f[0].shape());
      assertArrayEquals(new int[] {2, k, mn[1]}, f[1].shape());
      assertClose(a, f[0].matmul(f[1]), 1e-13);
      assertClose(eyeLike(k, 2), t(f[0]).matmul(f[0]), 1e-13);
      double[] r = f[1].toArray();
      for (int b = 0; b < 2; b++) {
        for (int i = 0; i < k; i++) {
          assertTrue(r[b * k * mn[1] + i * mn[1] + i] >= 0);
          for (int j = 0; j < Math.min(i, mn[1]); j++) {
            assertEquals(0.0, r[b * k * mn[1] + i * mn[1] + j], 0.0);
          }
        }
      }
    }
  }

  @Test
  void qrOfAKnownMatrixAndOfARankDeficientOne() {
    NDArray a = NDArray.of(new double[][] {{12, -51, 4}, {6, 167, -68}, {-4, 24, -41}});
    NDArray[] f = Decompositions.qr(a);
    assertClose(NDArray.of(new double[][] {{14, 21, -14}, {0, 175, -70}, {0, 0, 35}}), f[1], 1e-14);
    NDArray deficient = NDArray.of(new double[][] {{1, 0, 2}, {2, 0, 4}, {3, 0, 6}, {4, 0, 1}});
    NDArray[] g = Decompositions.qr(deficient);
    assertClose(deficient, g[0].matmul(g[1]), 1e-14);
    assertClose(NDArray.eye(3), t(g[0]).matmul(g[0]), 1e-14);
  }

  // ------------------------------------------------------------------ eigh

  @Test
  void eighDiagonalisesWithAscendingValuesAndOrthonormalVectors() {
    for (int n : new int[] {1, 2, 5, 20, 40}) {
      NDArray a = symmetric(3, n, n);
      NDArray[] f = Decompositions.eigh(a);
      NDArray w = f[0];
      NDArray v = f[1];
      assertClose(a, v.matmul(diag(w)).matmul(t(v)), 1e-13);
      assertClose(eyeLike(n, 3), t(v).matmul(v), 1e-13);
      double[] ws = w.toArray();
      for (int b = 0; b < 3; b++) {
        for (int i = 1; i < n; i++) {
          assertTrue(ws[b * n + i - 1] <= ws[b * n + i]);
        }
      }
    }
  }

  @Test
  void eighOfKnownAndDegenerateMatrices() {
    NDArray[] f = Decompositions.eigh(NDArray.of(new double[][] {{2, 1}, {1, 2}}));
    assertArrayEquals(new double[] {1, 3}, f[0].toArray(), 1e-15);
    double h = Math.sqrt(0.5); // the largest entry of each eigenvector is positive; on a tie, the first
    assertClose(NDArray.of(new double[][] {{h, h}, {-h, h}}), f[1], 1e-15);
    NDArray[] identity = Decompositions.eigh(NDArray.eye(4).mul(3));
    assertArrayEquals(new double[] {3, 3, 3, 3}, identity[0].toArray(), 0.0);
    assertClose(NDArray.eye(4), identity[1], 0.0);
    NDArray[] zero = Decompositions.eigh(NDArray.zeros(3, 3));
    assertArrayEquals(new double[3], zero[0].toArray(), 0.0);
    // repeated eigenvalue 1 (twice) and −2 in a rotated basis: still an orthonormal diagonalisation
    NDArray q = Decompositions.qr(randn(3, 3))[0];
    NDArray a = q.matmul(diag(NDArray.of(1, -2, 1))).matmul(t(q));
    NDArray[] g = Decompositions.eigh(a);
    assertClose(NDArray.of(-2, 1, 1), g[0], 1e-14);
    assertClose(a, g[1].matmul(diag(g[0])).matmul(t(g[1])), 1e-14);
    assertClose(NDArray.eye(3), t(g[1]).matmul(g[1]), 1e-14);
  }

  @Test
  void eighHasRelativeAccuracyAtExtremeScales() {
    for (double scale : new double[] {1e-150, 1e150}) {
      NDArray a = symmetric(6, 6).mul(scale);
      NDArray[] f = Decompositions.eigh(a);
      assertClose(a, f[1].matmul(diag(f[0])).matmul(t(f[1])), 1e-13);
    }
    NDArray nearOverflow = NDArray.of(new double[][] {{1e300, 1e300}, {1e300, -1e300}}); // (a_qq − a_pp) overflows
    assertClose(NDArray.of(-Math.sqrt(2) * 1e300, Math.sqrt(2) * 1e300), Decompositions.eigh(nearOverflow)[0], 1e-15);
    assertClose(NDArray.of(Math.sqrt(2) * 1e300, Math.sqrt(2) * 1e300), Decompositions.svd(nearOverflow)[1], 1e-15);
    NDArray subnormal = NDArray.of(new double[][] {{1e-310, 0}, {0, -4e-320}});
    assertArrayEquals(new double[] {-4e-320, 1e-310}, Decompositions.eigh(subnormal)[0].toArray(), 0.0);
    assertArrayEquals(new double[] {1e-310, 4e-320}, Decompositions.svd(subnormal)[1].toArray(), 0.0);
    // graded diagonal: Jacobi keeps the tiny eigenvalue to full relative accuracy
    NDArray graded = NDArray.of(new double[][] {{1e20, 1e9}, {1e9, 1}});
    double small = Decompositions.eigh(graded)[0].toArray()[0];
    assertEquals(1 - 1e-2, small, 1e-14); // det / λ_max = (1e20 − 1e18) / (1e20 + ...) ≈ 0.99
  }

  @Test
  void eighReadsOnlyTheLowerTriangle() {
    NDArray a = symmetric(4, 4);
    NDArray garbageAbove = a.add(NDArray.ones(4, 4).sub(lowerMask(4)).mul(7.5));
    assertEquals(Decompositions.eigh(a)[0], Decompositions.eigh(garbageAbove)[0]);
  }

  // ------------------------------------------------------------------ SVD

  @Test
  void svdReconstructsWithOrthonormalFactorsAndDescendingValues() {
    for (int[] mn : new int[][] {{1, 1}, {1, 4}, {4, 1}, {5, 5}, {9, 4}, {4, 9}, {40, 30}}) {
      NDArray a = randn(2, mn[0], mn[1]);
      checkSvd(a, 1e-13);
    }
  }

  private static NDArray[] checkSvd(NDArray a, double tol) {
    NDArray[] f = Decompositions.svd(a);
    int m = a.shape()[a.rank() - 2];
    int n = a.shape()[a.rank() - 1];
    int k = Math.min(m, n);
    int[] batch = Decompositions.batchShape(a.shape());
    assertClose(a, f[0].mul(f[1].unsqueeze(-2)).matmul(f[2]), tol);
    assertClose(eyeLike(k, batch), t(f[0]).matmul(f[0]), tol);
    assertClose(eyeLike(k, batch), f[2].matmul(t(f[2])), tol);
    double[] s = f[1].toArray();
    for (int i = 0; i < s.length; i++) {
      assertTrue(s[i] >= 0 && (i % k == 0 || s[i - 1] >= s[i]), "descending, non-negative");
    }
    return f;
  }

  @Test
  void svdOfKnownAndDegenerateMatrices() {
    NDArray[] f = Decompositions.svd(NDArray.of(new double[][] {{3, 0}, {0, -2}}));
    assertArrayEquals(new double[] {3, 2}, f[1].toArray(), 1e-15);
    assertClose(NDArray.eye(2), f[0], 0.0); // the largest entry of each column of U is positive
    assertClose(NDArray.of(new double[][] {{1, 0}, {0, -1}}), f[2], 0.0);
    NDArray[] zero = checkSvd(NDArray.zeros(4, 3), 1e-15); // U completed to an orthonormal set
    assertArrayEquals(new double[3], zero[1].toArray(), 0.0);
    NDArray rankOne = NDArray.of(1, 2, 3, 4).unsqueeze(1).matmul(NDArray.of(1, -1, 2).unsqueeze(0));
    NDArray[] r = checkSvd(rankOne, 1e-14);
    assertEquals(Math.sqrt(30) * Math.sqrt(6), r[1].toArray()[0], 1e-13);
    assertEquals(0.0, r[1].toArray()[1], 1e-14);
    checkSvd(t(rankOne), 1e-14);
    checkSvd(NDArray.eye(5).mul(2), 0.0);
  }

  @Test
  void svdHasRelativeAccuracyAtExtremeScalesAndMatchesEigh() {
    for (double scale : new double[] {1e-150, 1e150}) {
      checkSvd(randn(6, 4).mul(scale), 1e-13);
    }
    NDArray a = randn(3, 7, 5);
    NDArray s = Decompositions.svd(a)[1];
    NDArray w = Decompositions.eigh(t(a).matmul(a))[0]; // ascending eigenvalues of AᵀA are S², reversed
    assertClose(w.indexSelect(1, 4, 3, 2, 1, 0), s.mul(s), 1e-13);
    // singular values spanning 12 orders of magnitude keep their relative accuracy
    NDArray graded = Decompositions.qr(randn(4, 4))[0].matmul(diag(NDArray.of(1, 1e-4, 1e-8, 1e-12)));
    double[] sg = Decompositions.svd(graded)[1].toArray();
    assertArrayEquals(new double[] {1, 1e-4, 1e-8, 1e-12}, sg, 1e-12 * 1e-3);
    assertEquals(1e-12, sg[3], 1e-12 * 1e-10);
  }
}
