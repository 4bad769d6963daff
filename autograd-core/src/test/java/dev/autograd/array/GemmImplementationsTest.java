package dev.autograd.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every available GEMM (loop kernel, Vector API kernel, native BLAS) against a naive triple loop. */
class GemmImplementationsTest {
  private static List<Gemm> implementations() {
    List<Gemm> all = new ArrayList<>();
    all.add(new JavaGemm());
    all.add(Gemms.pureJava());
    Gemm vector = Gemms.vectorKernelOrNull();
    if (vector != null) {
      all.add(vector);
    }
    Gemm nat = Gemms.nativeOrNull();
    if (nat != null) {
      all.add(nat);
    }
    return all;
  }

  @Test
  void theVectorKernelIsAvailableExactlyWhenTheJvmHasTheVectorApi() {
    boolean hasModule = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    assertEquals(hasModule, Gemms.vectorKernelOrNull() != null);
    if (!hasModule) {
      assertEquals("java", Gemms.pureJava().name());
    }
  }

  @Test
  void theChoiceIsAnnouncedWithAdviceOnlyWhenSomethingFasterExists() {
    Gemm chosen = Gemms.current();
    boolean nativeInUse = chosen.name().startsWith("native");
    assertEquals(nativeInUse, Gemms.advice(chosen).isEmpty(), chosen.name() + Gemms.advice(chosen));
  }

  @Test
  void allLayoutsAndEdgeSizesMatchNaive() {
    SplittableRandom rng = new SplittableRandom(9);
    int[][] sizes = {{1, 1, 1}, {3, 5, 7}, {4, 16, 8}, {5, 17, 3}, {33, 40, 65}, {64, 130, 300}, {7, 1, 513},
        {9, 300, 259}, {70, 257, 7}};
    for (Gemm g : implementations()) {
      for (int[] s : sizes) {
        for (int flags = 0; flags < 4; flags++) {
          check(g, rng, s[0], s[1], s[2], (flags & 1) != 0, (flags & 2) != 0);
        }
      }
    }
  }

  private static void check(Gemm g, SplittableRandom rng, int m, int n, int k, boolean ta, boolean tb) {
    int lda = (ta ? m : k) + 3; // padded leading dimensions and offsets
    int ldb = (tb ? k : n) + 2;
    int ldc = n + 1;
    double[] a = random(rng, 5 + (ta ? k : m) * lda);
    double[] b = random(rng, 4 + (tb ? n : k) * ldb);
    double[] c = random(rng, 2 + m * ldc);
    double[] expected = c.clone();
    double alpha = 1.5;
    double beta = -0.5;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double sum = 0;
        for (int p = 0; p < k; p++) {
          double av = ta ? a[5 + p * lda + i] : a[5 + i * lda + p];
          double bv = tb ? b[4 + j * ldb + p] : b[4 + p * ldb + j];
          sum += av * bv;
        }
        expected[2 + i * ldc + j] = alpha * sum + beta * expected[2 + i * ldc + j];
      }
    }
    g.gemm(ta, tb, m, n, k, alpha, a, 5, lda, b, 4, ldb, beta, c, 2, ldc);
    assertArrayEquals(expected, c, 1e-10, () -> g.name() + " m=" + m + " n=" + n + " k=" + k + " ta=" + ta
        + " tb=" + tb);
  }

  private static double[] random(SplittableRandom rng, int n) {
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = rng.nextDouble(-1, 1);
    }
    return d;
  }
}
