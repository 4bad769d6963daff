package dev.autograd.openblas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.autograd.array.Gemm;
import dev.autograd.array.Gemms;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The bundled library's single-precision product (BLAS sgemm, operands swapped for row-major order) agrees with the
 * pure-Java one for every transpose combination, with offsets and padded leading dimensions, and overwrites C when
 * beta is 0 however much garbage it held.
 */
class BundledSgemmTest {
  @Test
  void sgemmAgreesWithThePureJavaKernel() {
    Gemm nat = Gemms.nativeOrNull();
    assumeTrue(nat != null, "no native library on this platform");
    Gemm java = Gemms.pureJava();
    SplittableRandom rng = new SplittableRandom(5);
    int m = 67;
    int n = 129;
    int k = 300;
    for (int flags = 0; flags < 4; flags++) {
      boolean ta = (flags & 1) != 0;
      boolean tb = (flags & 2) != 0;
      float beta = flags % 2 == 0 ? 0f : 2f;
      int lda = (ta ? m : k) + 3;
      int ldb = (tb ? k : n) + 1;
      int ldc = n + 2;
      float[] a = random(rng, 7 + (ta ? k : m) * lda);
      float[] b = random(rng, 3 + (tb ? n : k) * ldb);
      float[] c1 = random(rng, 1 + m * ldc);
      if (beta == 0) {
        Arrays.fill(c1, Float.NaN);
      }
      float[] original = c1.clone();
      float[] c2 = c1.clone();
      nat.sgemm(ta, tb, m, n, k, 0.5f, a, 7, lda, b, 3, ldb, beta, c1, 1, ldc);
      java.sgemm(ta, tb, m, n, k, 0.5f, a, 7, lda, b, 3, ldb, beta, c2, 1, ldc);
      double worst = 0;
      double scale = 0;
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          int at = 1 + i * ldc + j;
          worst = Math.max(worst, Math.abs(c1[at] - c2[at]));
          scale = Math.max(scale, Math.abs(c1[at]));
        }
        for (int j = n; j < ldc && i < m - 1; j++) { // the padding between rows is not C's
          assertEquals(Float.floatToIntBits(original[1 + i * ldc + j]), Float.floatToIntBits(c1[1 + i * ldc + j]));
        }
      }
      // both round every partial sum to float, in different orders: a few units in the last place of the largest
      // element, times sqrt(k)
      assertTrue(worst <= 1e-5 * Math.sqrt(k) * scale, "ta=" + ta + " tb=" + tb + ": max difference " + worst
          + " of " + scale);
    }
  }

  private static float[] random(SplittableRandom rng, int n) {
    float[] d = new float[n];
    for (int i = 0; i < n; i++) {
      d[i] = (float) rng.nextDouble(-1, 1);
    }
    return d;
  }
}
