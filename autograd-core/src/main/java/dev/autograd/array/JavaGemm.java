package dev.autograd.array;

/**
 * Pure-Java GEMM. op(B) is packed once into a contiguous row-major panel; rows of C are then computed four at a time
 * so each loaded row of B feeds four accumulating rows (a register-blocking idea the JIT can vectorise), with the
 * {@code k} dimension blocked to keep the touched part of B in cache. Large products split the rows of C over the
 * common pool.
 */
final class JavaGemm implements Gemm {
  static final int K_BLOCK = 256;
  private static final int N_BLOCK = 512;

  @Override
  public String name() {
    return "java";
  }

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOffset, int lda, double[] b, int bOffset, int ldb,
      double beta, double[] c, int cOffset, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    scaleC(m, n, beta, c, cOffset, ldc);
    if (k == 0 || alpha == 0.0) {
      return;
    }
    double[] bp = packB(transB, k, n, b, bOffset, ldb);
    long work = 2L * m * n * k;
    int rowBlocks = (m + 3) / 4;
    Parallel.forRange(rowBlocks, work / 4, (from, to) -> {
      double[] ap = new double[4 * Math.min(k, K_BLOCK)];
      for (int k0 = 0; k0 < k; k0 += K_BLOCK) {
        int kb = Math.min(K_BLOCK, k - k0);
        for (int rb = from; rb < to; rb++) {
          int i0 = rb * 4;
          int rowsHere = Math.min(4, m - i0);
          packA(transA, a, aOffset, lda, i0, rowsHere, k0, kb, alpha, ap);
          for (int j0 = 0; j0 < n; j0 += N_BLOCK) {
            int nb = Math.min(N_BLOCK, n - j0);
            if (rowsHere == 4) {
              kernel4(ap, kb, bp, k0, n, j0, nb, c, cOffset + i0 * ldc, ldc);
            } else {
              for (int r = 0; r < rowsHere; r++) {
                kernel1(ap, r, kb, bp, k0, n, j0, nb, c, cOffset + (i0 + r) * ldc);
              }
            }
          }
        }
      }
    });
  }

  static void scaleC(int m, int n, double beta, double[] c, int cOffset, int ldc) {
    if (beta == 1.0) {
      return;
    }
    for (int i = 0; i < m; i++) {
      int row = cOffset + i * ldc;
      for (int j = 0; j < n; j++) {
        c[row + j] = beta == 0.0 ? 0.0 : beta * c[row + j];
      }
    }
  }

  /** op(B) as a dense k × n row-major panel (B itself when it already is one). */
  static double[] packB(boolean transB, int k, int n, double[] b, int bOffset, int ldb) {
    if (!transB && bOffset == 0 && ldb == n && b.length == k * n) {
      return b;
    }
    double[] bp = new double[k * n];
    for (int p = 0; p < k; p++) {
      for (int j = 0; j < n; j++) {
        bp[p * n + j] = transB ? b[bOffset + j * ldb + p] : b[bOffset + p * ldb + j];
      }
    }
    return bp;
  }

  /** alpha · op(A)[i0 .. i0+rows, k0 .. k0+kb) into ap, laid out as ap[p * 4 + r]. */
  static void packA(boolean transA, double[] a, int aOffset, int lda, int i0, int rows, int k0, int kb,
      double alpha, double[] ap) {
    for (int r = 0; r < rows; r++) {
      for (int p = 0; p < kb; p++) {
        double v = transA ? a[aOffset + (k0 + p) * lda + i0 + r] : a[aOffset + (i0 + r) * lda + k0 + p];
        ap[p * 4 + r] = alpha * v;
      }
    }
  }

  private static void kernel4(double[] ap, int kb, double[] bp, int k0, int n, int j0, int nb,
      double[] c, int c0, int ldc) {
    int c1 = c0 + ldc;
    int c2 = c1 + ldc;
    int c3 = c2 + ldc;
    for (int p = 0; p < kb; p++) {
      double a0 = ap[p * 4];
      double a1 = ap[p * 4 + 1];
      double a2 = ap[p * 4 + 2];
      double a3 = ap[p * 4 + 3];
      int brow = (k0 + p) * n + j0;
      for (int j = 0; j < nb; j++) {
        double bv = bp[brow + j];
        c[c0 + j0 + j] += a0 * bv;
        c[c1 + j0 + j] += a1 * bv;
        c[c2 + j0 + j] += a2 * bv;
        c[c3 + j0 + j] += a3 * bv;
      }
    }
  }

  static void kernel1(double[] ap, int r, int kb, double[] bp, int k0, int n, int j0, int nb,
      double[] c, int c0) {
    for (int p = 0; p < kb; p++) {
      double av = ap[p * 4 + r];
      int brow = (k0 + p) * n + j0;
      for (int j = 0; j < nb; j++) {
        c[c0 + j0 + j] += av * bp[brow + j];
      }
    }
  }
}
