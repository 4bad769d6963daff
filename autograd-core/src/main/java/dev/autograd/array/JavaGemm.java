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
  /** Multiply-adds up to which {@link #small} beats packing, blocking and threads. */
  static final long SMALL_WORK = 48L * 48 * 48;

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
    if ((long) m * n * k <= SMALL_WORK) {
      small(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
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

  /**
   * Products as small as the layers of a tiny network: no packing and no threads, just 4 × 4 blocks of C accumulated
   * in registers (16 independent sums, 8 loads per 16 multiply-adds), read straight from A and B through their
   * strides. Each element still sums over p in order, as the blocked kernel does.
   */
  static void small(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a,
      int aOffset, int lda, double[] b, int bOffset, int ldb, double[] c, int cOffset, int ldc) {
    int ai = transA ? 1 : lda; // step of op(A) along i
    int ap = transA ? lda : 1; // ... along p
    int bp = transB ? 1 : ldb; // step of op(B) along p
    int bj = transB ? ldb : 1; // ... along j
    int i = 0;
    for (; i + 4 <= m; i += 4) {
      int j = 0;
      for (; j + 4 <= n; j += 4) {
        block4x4(k, alpha, a, aOffset + i * ai, ai, ap, b, bOffset + j * bj, bj, bp, c, cOffset + i * ldc + j, ldc);
      }
      for (; j < n; j++) {
        for (int r = 0; r < 4; r++) {
          c[cOffset + (i + r) * ldc + j] += alpha * dot(k, a, aOffset + (i + r) * ai, ap, b, bOffset + j * bj, bp);
        }
      }
    }
    for (; i < m; i++) {
      for (int j = 0; j < n; j++) {
        c[cOffset + i * ldc + j] += alpha * dot(k, a, aOffset + i * ai, ap, b, bOffset + j * bj, bp);
      }
    }
  }

  private static void block4x4(int k, double alpha, double[] a, int a0, int ai, int ap, double[] b, int b0, int bj,
      int bp, double[] c, int c0, int ldc) {
    double c00 = 0, c01 = 0, c02 = 0, c03 = 0;
    double c10 = 0, c11 = 0, c12 = 0, c13 = 0;
    double c20 = 0, c21 = 0, c22 = 0, c23 = 0;
    double c30 = 0, c31 = 0, c32 = 0, c33 = 0;
    for (int p = 0, pa = a0, pb = b0; p < k; p++, pa += ap, pb += bp) {
      double x0 = a[pa];
      double x1 = a[pa + ai];
      double x2 = a[pa + 2 * ai];
      double x3 = a[pa + 3 * ai];
      double y0 = b[pb];
      double y1 = b[pb + bj];
      double y2 = b[pb + 2 * bj];
      double y3 = b[pb + 3 * bj];
      c00 += x0 * y0;
      c01 += x0 * y1;
      c02 += x0 * y2;
      c03 += x0 * y3;
      c10 += x1 * y0;
      c11 += x1 * y1;
      c12 += x1 * y2;
      c13 += x1 * y3;
      c20 += x2 * y0;
      c21 += x2 * y1;
      c22 += x2 * y2;
      c23 += x2 * y3;
      c30 += x3 * y0;
      c31 += x3 * y1;
      c32 += x3 * y2;
      c33 += x3 * y3;
    }
    addRow(c, c0, alpha, c00, c01, c02, c03);
    addRow(c, c0 + ldc, alpha, c10, c11, c12, c13);
    addRow(c, c0 + 2 * ldc, alpha, c20, c21, c22, c23);
    addRow(c, c0 + 3 * ldc, alpha, c30, c31, c32, c33);
  }

  private static void addRow(double[] c, int at, double alpha, double s0, double s1, double s2, double s3) {
    c[at] += alpha * s0;
    c[at + 1] += alpha * s1;
    c[at + 2] += alpha * s2;
    c[at + 3] += alpha * s3;
  }

  /** Σ_p op(A)[i, p] · op(B)[p, j], with A's row and B's column given by start and step. */
  private static double dot(int k, double[] a, int a0, int ap, double[] b, int b0, int bp) {
    double s = 0;
    for (int p = 0; p < k; p++) {
      s += a[a0 + p * ap] * b[b0 + p * bp];
    }
    return s;
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
