package dev.autograd.array;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Single-precision GEMM of every implementation (loop kernel, Vector API kernel, the dispatchers, the interface's
 * default through a double-only Gemm, native BLAS when one loads) against a reference computed in double from the same
 * float inputs. Every case has offsets and leading dimensions larger than needed, and the cells of C outside the
 * product must come back unchanged.
 */
class SgemmTest {
  private static final int[] EDGES = {0, 1, 7, 17, 130};
  /** alpha, beta; for beta = 0, C starts as NaN and must be overwritten (BLAS semantics). */
  private static final float[][] SCALARS = {{1.5f, -0.5f}, {1f, 0f}, {-2f, 1f}, {0f, 2f}, {0.25f, 0f}};

  /** A Gemm that has only the double method, computing beta · C literally (0 · NaN = NaN), as a user's might. */
  private static final class DoubleOnly implements Gemm {
    int calls;

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOffset,
        int lda, double[] b, int bOffset, int ldb, double beta, double[] c, int cOffset, int ldc) {
      calls++;
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double sum = 0;
          for (int p = 0; p < k; p++) {
            sum += (transA ? a[aOffset + p * lda + i] : a[aOffset + i * lda + p])
                * (transB ? b[bOffset + j * ldb + p] : b[bOffset + p * ldb + j]);
          }
          c[cOffset + i * ldc + j] = alpha * sum + beta * c[cOffset + i * ldc + j];
        }
      }
    }

    @Override
    public String name() {
      return "double-only";
    }
  }

  private static List<Gemm> implementations() {
    List<Gemm> all = new ArrayList<>();
    all.add(new JavaGemm());
    all.add(Gemms.pureJava());
    all.add(new DoubleOnly());
    Gemm vector = Gemms.vectorKernelOrNull();
    if (vector != null) {
      all.add(vector);
      // both branches of each dispatcher, whatever this host's vector width or native library
      all.add(new Gemms.PerPrecision(new JavaGemm(), vector));
      all.add(new Gemms.SizeDispatch(vector, new JavaGemm()));
    } else {
      all.add(new Gemms.SizeDispatch(new JavaGemm(), new DoubleOnly()));
    }
    return all;
  }

  @Test
  void edgeSizesAllLayoutsAndScalarsMatchTheDoubleReference() {
    SplittableRandom rng = new SplittableRandom(12);
    List<Gemm> all = implementations();
    for (int m : EDGES) {
      for (int n : EDGES) {
        for (int k : EDGES) {
          for (int flags = 0; flags < 4; flags++) {
            float[] s = SCALARS[(m + 3 * n + 5 * k + flags) % SCALARS.length];
            new Case(rng, m, n, k, (flags & 1) != 0, (flags & 2) != 0, s[0], s[1]).check(all);
          }
        }
      }
    }
  }

  @Test
  void productsLargerThanEveryBlockMatchTheDoubleReference() {
    // more rows than a row block of either kernel and not a multiple of a tile's 6 or 8 rows; more columns than a
    // column block (1024 floats in the loop kernel) and not a multiple of a tile's width; deeper than a depth block
    SplittableRandom rng = new SplittableRandom(13);
    List<Gemm> all = implementations();
    for (int flags = 0; flags < 4; flags++) {
      new Case(rng, 301, 1100, 260, (flags & 1) != 0, (flags & 2) != 0, 0.75f, flags % 2 == 0 ? 0f : 1.25f)
          .check(all);
    }
  }

  @Test
  void theNativeLibraryWhenOneLoads() {
    Gemm nat = Gemms.nativeOrNull();
    assumeTrue(nat != null, "no native BLAS on this host");
    SplittableRandom rng = new SplittableRandom(14);
    for (int[] s : new int[][] {{1, 1, 1}, {7, 17, 130}, {130, 7, 17}, {301, 1100, 260}}) {
      for (int flags = 0; flags < 4; flags++) {
        new Case(rng, s[0], s[1], s[2], (flags & 1) != 0, (flags & 2) != 0, 1.5f, flags % 2 == 0 ? 0f : -0.5f)
            .check(List.of(nat));
      }
    }
  }

  @Test
  void theDefaultMethodRoundsTheDoubleProductOnce() {
    // DoubleOnly sums in the reference's order, so widening, its double product and one rounding give exactly the
    // reference rounded to float
    SplittableRandom rng = new SplittableRandom(15);
    DoubleOnly g = new DoubleOnly();
    for (int flags = 0; flags < 4; flags++) {
      Case c = new Case(rng, 9, 11, 40, (flags & 1) != 0, (flags & 2) != 0, 1.5f, flags < 2 ? 0f : -0.5f);
      float[] out = c.run(g);
      for (int i = 0; i < c.m; i++) {
        for (int j = 0; j < c.n; j++) {
          assertEquals((float) c.reference[i * c.n + j], out[c.cAt(i, j)], "flags=" + flags + " at " + i + "," + j);
        }
      }
    }
    assertEquals(4, g.calls);
  }

  @Test
  void theResultDoesNotDependOnTheNumberOfThreads() {
    SplittableRandom rng = new SplittableRandom(16);
    Case c = new Case(rng, 301, 1100, 260, false, true, 1f, 0f);
    List<Gemm> kernels = new ArrayList<>(List.of(new JavaGemm()));
    if (Gemms.vectorKernelOrNull() != null) {
      kernels.add(Gemms.vectorKernelOrNull());
    }
    int threads = Threads.get();
    for (Gemm g : kernels) {
      float[] parallel = c.run(g);
      Threads.set(1);
      try {
        float[] serial = c.run(g);
        for (int i = 0; i < serial.length; i++) {
          if (Float.floatToIntBits(serial[i]) != Float.floatToIntBits(parallel[i])) {
            fail(g.name() + ": element " + i + " is " + parallel[i] + " on " + threads + " threads, " + serial[i]
                + " on one");
          }
        }
      } finally {
        Threads.set(threads);
      }
    }
  }

  /** One product: padded float operands, the reference in double, and the check of an implementation's result. */
  private static final class Case {
    static final int A_OFFSET = 5;
    static final int B_OFFSET = 4;
    static final int C_OFFSET = 2;
    final int m;
    final int n;
    final int k;
    final boolean ta;
    final boolean tb;
    final float alpha;
    final float beta;
    final int lda;
    final int ldb;
    final int ldc;
    final float[] a;
    final float[] b;
    final float[] c;
    /** alpha · op(A) · op(B) + beta · C, dense m × n, in double from the float inputs. */
    final double[] reference;
    /** Per element, alpha · Σ|op(A)||op(B)| + |beta · C|: the size that rounding errors scale with. */
    final double[] magnitude;

    Case(SplittableRandom rng, int m, int n, int k, boolean ta, boolean tb, float alpha, float beta) {
      this.m = m;
      this.n = n;
      this.k = k;
      this.ta = ta;
      this.tb = tb;
      this.alpha = alpha;
      this.beta = beta;
      lda = (ta ? m : k) + 3;
      ldb = (tb ? k : n) + 2;
      ldc = n + 1;
      a = random(rng, A_OFFSET + (ta ? k : m) * lda + 3);
      b = random(rng, B_OFFSET + (tb ? n : k) * ldb + 3);
      c = random(rng, C_OFFSET + m * ldc + 3);
      if (beta == 0) { // garbage that must not reach the result
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < n; j++) {
            c[cAt(i, j)] = Float.NaN;
          }
        }
      }
      reference = new double[m * n];
      magnitude = new double[m * n];
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double sum = 0;
          double abs = 0;
          for (int p = 0; p < k; p++) {
            double x = (double) (ta ? a[A_OFFSET + p * lda + i] : a[A_OFFSET + i * lda + p])
                * (tb ? b[B_OFFSET + j * ldb + p] : b[B_OFFSET + p * ldb + j]);
            sum += x;
            abs += Math.abs(x);
          }
          double old = beta == 0 ? 0 : (double) beta * c[cAt(i, j)];
          reference[i * n + j] = alpha * sum + old;
          magnitude[i * n + j] = Math.abs(alpha) * abs + Math.abs(old);
        }
      }
    }

    int cAt(int i, int j) {
      return C_OFFSET + i * ldc + j;
    }

    float[] run(Gemm g) {
      float[] out = c.clone();
      g.sgemm(ta, tb, m, n, k, alpha, a.clone(), A_OFFSET, lda, b.clone(), B_OFFSET, ldb, beta, out, C_OFFSET, ldc);
      return out;
    }

    void check(List<Gemm> implementations) {
      // float rounding grows like sqrt(k) for random signs; 1e-5 is about 170 units in the last place
      double tolerance = 1e-5 * Math.sqrt(Math.max(k, 1));
      for (Gemm g : implementations) {
        float[] out = run(g);
        String where = g.name() + " m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb + " alpha=" + alpha
            + " beta=" + beta;
        for (int at = 0; at < out.length; at++) {
          if (!inside(at) && Float.floatToIntBits(c[at]) != Float.floatToIntBits(out[at])) {
            fail(where + ": C[" + at + "], outside the product, was changed from " + c[at] + " to " + out[at]);
          }
        }
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < n; j++) {
            double want = reference[i * n + j];
            float got = out[cAt(i, j)];
            double error = Math.abs(got - want);
            double allowed = tolerance * magnitude[i * n + j];
            if (!(error <= allowed)) { // NaN fails too
              fail(where + ": C(" + i + ", " + j + ") = " + got + ", expected " + want + " (error " + error
                  + ", allowed " + allowed + ")");
            }
          }
        }
      }
    }

    private boolean inside(int at) {
      int from = at - C_OFFSET;
      return from >= 0 && from / ldc < m && from % ldc < n;
    }

    private static float[] random(SplittableRandom rng, int size) {
      float[] x = new float[size];
      for (int i = 0; i < size; i++) {
        x[i] = (float) rng.nextDouble(-1, 1);
      }
      return x;
    }
  }
}
