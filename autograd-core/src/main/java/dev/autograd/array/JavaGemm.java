package dev.autograd.array;

/**
 * Pure-Java GEMM that needs no JVM flag. C2 (Java 17) vectorises a loop only when every array in it is indexed by the
 * loop counter itself: {@code c[off + j] += a * b[off2 + j]} over one shared array stays scalar, because the compiler
 * cannot prove the offsets apart. So a k × n block of op(B) is packed into separate row arrays, a block of rows of C
 * is copied into private row arrays, and the inner loop adds four rows of B at a time, scaled by four elements of A,
 * with {@code Math.fma}: {@code c[j] = fma(a3, b3[j], ... fma(a0, b0[j], c[j]))}. The four B rows (16 KB) stay in L1
 * while every row of the C block (up to 128 × 512 doubles, in L2) passes over them, so each multiply-add loads one
 * element from L1 and a quarter of a C element from L2. Measured on AVX2 with no flag: about three times the old
 * loops over shared arrays, and faster than the Vector API kernel there. Blocks of C rows are split over the common
 * pool; each packs its own copy of the B block (O(k·n) against O(128·n·k) work).
 */
final class JavaGemm implements Gemm {
  static final int K_BLOCK = 128;
  static final int N_BLOCK = 512;
  /** Rows of C per block at most: bounds the private copy of C at 512 KB. */
  static final int M_BLOCK = 128;

  /**
   * Rows of C per block for an m-row product: {@link #M_BLOCK}, or fewer so that every thread gets a block. Blocks
   * are what the threads share out, and a layer's batch of 128 rows was one block on one core (the MLP's first
   * product took 2.0 ms instead of 1.1 on two cores); each block packs its own copy of B, so they stay large.
   */
  static int rowBlock(int m) {
    return Math.max(1, Math.min(M_BLOCK, Math.max(16, (m + Parallel.threads() - 1) / Parallel.threads())));
  }
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
    int ai = transA ? 1 : lda; // step of op(A) along i
    int ap = transA ? lda : 1; // ... along p
    int mBlock = rowBlock(m);
    int rowBlocks = (m + mBlock - 1) / mBlock;
    Parallel.forRange(rowBlocks, 2L * m * n * k / 4, (from, to) -> {
      double[][] block = new double[Math.min(k, K_BLOCK)][Math.min(n, N_BLOCK)];
      double[][] rows = new double[Math.min(m, mBlock)][Math.min(n, N_BLOCK)];
      for (int rb = from; rb < to; rb++) {
        int i0 = rb * mBlock;
        int mb = Math.min(mBlock, m - i0);
        for (int j0 = 0; j0 < n; j0 += N_BLOCK) {
          int nb = Math.min(N_BLOCK, n - j0);
          for (int i = 0; i < mb; i++) {
            System.arraycopy(c, cOffset + (i0 + i) * ldc + j0, rows[i], 0, nb);
          }
          for (int p0 = 0; p0 < k; p0 += K_BLOCK) {
            int kb = Math.min(K_BLOCK, k - p0);
            packBlock(transB, b, bOffset, ldb, p0, kb, j0, nb, block);
            int p = 0;
            for (; p + 8 <= kb; p += 8) {
              for (int i = 0, at = aOffset + i0 * ai + (p0 + p) * ap; i < mb; i++, at += ai) {
                axpy8(rows[i], block, p, alpha, a, at, ap, nb);
              }
            }
            for (; p + 4 <= kb; p += 4) {
              double[] b0 = block[p];
              double[] b1 = block[p + 1];
              double[] b2 = block[p + 2];
              double[] b3 = block[p + 3];
              for (int i = 0, at = aOffset + i0 * ai + (p0 + p) * ap; i < mb; i++, at += ai) {
                axpy4(rows[i], b0, b1, b2, b3, alpha * a[at], alpha * a[at + ap], alpha * a[at + 2 * ap],
                    alpha * a[at + 3 * ap], nb);
              }
            }
            for (; p < kb; p++) {
              for (int i = 0, at = aOffset + i0 * ai + (p0 + p) * ap; i < mb; i++, at += ai) {
                axpy1(rows[i], block[p], alpha * a[at], nb);
              }
            }
          }
          for (int i = 0; i < mb; i++) {
            System.arraycopy(rows[i], 0, c, cOffset + (i0 + i) * ldc + j0, nb);
          }
        }
      }
    });
  }

  /** The same kernel on float buffers, in {@link JavaSgemm}. */
  @Override
  public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
      float beta, float[] c, int cOffset, int ldc) {
    JavaSgemm.sgemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
  }

  /** op(B)[p0 .. p0+kb, j0 .. j0+nb) into the first kb rows (first nb columns) of {@code block}. */
  private static void packBlock(boolean transB, double[] b, int bOffset, int ldb, int p0, int kb, int j0, int nb,
      double[][] block) {
    for (int p = 0; p < kb; p++) {
      double[] dst = block[p];
      if (transB) {
        for (int j = 0, at = bOffset + j0 * ldb + p0 + p; j < nb; j++, at += ldb) {
          dst[j] = b[at];
        }
      } else {
        System.arraycopy(b, bOffset + (p0 + p) * ldb + j0, dst, 0, nb);
      }
    }
  }

  /** acc += x0·b0 + x1·b1 + x2·b2 + x3·b3 over the first n elements; every array indexed by j alone (see above). */
  /**
   * acc += Σ_{q<8} alpha·a[at + q·ap] · block[p + q]: see {@link JavaSgemm}'s axpy8. In float64 it gains nothing at
   * n = 1024 but 8-23% on an MLP's products (128 × 256 × 784: 1.39 → 1.28 ms; 128 × 128 × 256: 382 → 294 µs).
   */
  private static void axpy8(double[] acc, double[][] block, int p, double alpha, double[] a, int at, int ap,
      int n) {
    double[] b0 = block[p];
    double[] b1 = block[p + 1];
    double[] b2 = block[p + 2];
    double[] b3 = block[p + 3];
    double[] b4 = block[p + 4];
    double[] b5 = block[p + 5];
    double[] b6 = block[p + 6];
    double[] b7 = block[p + 7];
    double x0 = alpha * a[at];
    double x1 = alpha * a[at + ap];
    double x2 = alpha * a[at + 2 * ap];
    double x3 = alpha * a[at + 3 * ap];
    double x4 = alpha * a[at + 4 * ap];
    double x5 = alpha * a[at + 5 * ap];
    double x6 = alpha * a[at + 6 * ap];
    double x7 = alpha * a[at + 7 * ap];
    for (int j = 0; j < n; j++) {
      double s = Math.fma(x3, b3[j], Math.fma(x2, b2[j], Math.fma(x1, b1[j], Math.fma(x0, b0[j], acc[j]))));
      acc[j] = Math.fma(x7, b7[j], Math.fma(x6, b6[j], Math.fma(x5, b5[j], Math.fma(x4, b4[j], s))));
    }
  }

  private static void axpy4(double[] acc, double[] b0, double[] b1, double[] b2, double[] b3, double x0, double x1,
      double x2, double x3, int n) {
    for (int j = 0; j < n; j++) {
      acc[j] = Math.fma(x3, b3[j], Math.fma(x2, b2[j], Math.fma(x1, b1[j], Math.fma(x0, b0[j], acc[j]))));
    }
  }

  private static void axpy1(double[] acc, double[] b0, double x0, int n) {
    for (int j = 0; j < n; j++) {
      acc[j] = Math.fma(x0, b0[j], acc[j]);
    }
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
