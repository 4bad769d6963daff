package dev.autograd.array;

/**
 * {@link JavaGemm}'s two kernels (blocked, and register-blocked for small products) on float buffers, with its row and
 * depth blocking, packing and thread split; see there for why the loops are shaped so C2 vectorises them. This is a
 * second copy because Java generics cannot range over {@code float[]} and {@code double[]}, and hiding the element
 * type behind an interface would put a call or a boxed element into the inner loop, which must stay a plain counted
 * loop over primitive arrays. What differs: a float vector holds twice the lanes, so the column block is twice as
 * wide for the same bytes, and the private rows are padded (see {@link #ROW_PAD}). Measured at n = 1024 on two cores
 * with 512-bit vectors: 109-116 GFLOP/s in the benchmark's rounds (median of five), 0.32-0.36 of NumPy's float32
 * product, and up to 140-158 as best of many runs; about twice the double kernel, as the lanes promise, and with
 * 256-bit vectors ({@code -XX:UseAVX=2}) not much less (117-129 best): the loop is not bound by arithmetic (alone,
 * with its rows in L1, it ran only 1.45 times faster on 512-bit vectors than on 128-bit ones). Tried without gain:
 * eight rows of B per pass instead of four, two or four rows of C per loop (four is no longer vectorised), narrower
 * blocks that keep C in L1, and other row, column and depth blocks.
 */
final class JavaSgemm {
  /** Twice JavaGemm's, for the same bytes: 128 rows of 1024 floats of C (512 KB) in L2, 4 rows of B (16 KB) in L1. */
  private static final int N_BLOCK = 2 * JavaGemm.N_BLOCK;
  /**
   * Extra elements per private row (whose length is otherwise a multiple of 16) so that each row array takes a whole
   * number of 64-byte cache lines: a 16-byte header plus 4 · (16·r + 12) bytes. Rows allocated one after another then
   * all start at the same offset within a line; C2 aligns the loop to the row it stores, and so the four rows of B it
   * loads are aligned too instead of each vector load straddling two lines. Measured at n = 1024 with 512-bit vectors
   * (best of runs): 140-158 GFLOP/s against 122-138 without; {@code -XX:ObjectAlignmentInBytes=64}, which aligns every
   * array, gave the same as the padding. Only speed depends on it (a different header size or a new TLAB mid-way just
   * loses the gain).
   */
  private static final int ROW_PAD = 12;

  private JavaSgemm() {}

  static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
      float beta, float[] c, int cOffset, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    scaleC(m, n, beta, c, cOffset, ldc);
    if (k == 0 || alpha == 0.0f) {
      return;
    }
    if ((long) m * n * k <= JavaGemm.SMALL_WORK) {
      small(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
      return;
    }
    int ai = transA ? 1 : lda; // step of op(A) along i
    int ap = transA ? lda : 1; // ... along p
    int mBlock = JavaGemm.rowBlock(m);
    int rowBlocks = (m + mBlock - 1) / mBlock;
    Parallel.forRange(rowBlocks, 2L * m * n * k / 4, (from, to) -> {
      int width = (Math.min(n, N_BLOCK) + 15) / 16 * 16 + ROW_PAD; // whole 64-byte lines, see ROW_PAD
      float[][] rows = new float[Math.min(m, mBlock)][];
      float[][] block = new float[Math.min(k, JavaGemm.K_BLOCK)][];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = new float[width];
      }
      for (int p = 0; p < block.length; p++) {
        block[p] = new float[width];
      }
      for (int rb = from; rb < to; rb++) {
        int i0 = rb * mBlock;
        int mb = Math.min(mBlock, m - i0);
        for (int j0 = 0; j0 < n; j0 += N_BLOCK) {
          int nb = Math.min(N_BLOCK, n - j0);
          for (int i = 0; i < mb; i++) {
            System.arraycopy(c, cOffset + (i0 + i) * ldc + j0, rows[i], 0, nb);
          }
          for (int p0 = 0; p0 < k; p0 += JavaGemm.K_BLOCK) {
            int kb = Math.min(JavaGemm.K_BLOCK, k - p0);
            packBlock(transB, b, bOffset, ldb, p0, kb, j0, nb, block);
            int p = 0;
            for (; p + 8 <= kb; p += 8) {
              for (int i = 0, at = aOffset + i0 * ai + (p0 + p) * ap; i < mb; i++, at += ai) {
                axpy8(rows[i], block, p, alpha, a, at, ap, nb);
              }
            }
            for (; p + 4 <= kb; p += 4) {
              float[] b0 = block[p];
              float[] b1 = block[p + 1];
              float[] b2 = block[p + 2];
              float[] b3 = block[p + 3];
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

  private static void packBlock(boolean transB, float[] b, int bOffset, int ldb, int p0, int kb, int j0, int nb,
      float[][] block) {
    for (int p = 0; p < kb; p++) {
      float[] dst = block[p];
      if (transB) {
        for (int j = 0, at = bOffset + j0 * ldb + p0 + p; j < nb; j++, at += ldb) {
          dst[j] = b[at];
        }
      } else {
        System.arraycopy(b, bOffset + (p0 + p) * ldb + j0, dst, 0, nb);
      }
    }
  }

  /**
   * acc += Σ_{q<8} alpha·a[at + q·ap] · block[p + q]: eight rows of B per pass over the accumulator row, so each
   * load and store of it serves eight FMAs (1.07× the four-row pass at n = 1024; two accumulator rows per pass, to
   * share the loads of B, stayed scalar in C2).
   */
  private static void axpy8(float[] acc, float[][] block, int p, float alpha, float[] a, int at, int ap, int n) {
    float[] b0 = block[p];
    float[] b1 = block[p + 1];
    float[] b2 = block[p + 2];
    float[] b3 = block[p + 3];
    float[] b4 = block[p + 4];
    float[] b5 = block[p + 5];
    float[] b6 = block[p + 6];
    float[] b7 = block[p + 7];
    float x0 = alpha * a[at];
    float x1 = alpha * a[at + ap];
    float x2 = alpha * a[at + 2 * ap];
    float x3 = alpha * a[at + 3 * ap];
    float x4 = alpha * a[at + 4 * ap];
    float x5 = alpha * a[at + 5 * ap];
    float x6 = alpha * a[at + 6 * ap];
    float x7 = alpha * a[at + 7 * ap];
    for (int j = 0; j < n; j++) {
      float s = Math.fma(x3, b3[j], Math.fma(x2, b2[j], Math.fma(x1, b1[j], Math.fma(x0, b0[j], acc[j]))));
      acc[j] = Math.fma(x7, b7[j], Math.fma(x6, b6[j], Math.fma(x5, b5[j], Math.fma(x4, b4[j], s))));
    }
  }

  private static void axpy4(float[] acc, float[] b0, float[] b1, float[] b2, float[] b3, float x0, float x1,
      float x2, float x3, int n) {
    for (int j = 0; j < n; j++) {
      acc[j] = Math.fma(x3, b3[j], Math.fma(x2, b2[j], Math.fma(x1, b1[j], Math.fma(x0, b0[j], acc[j]))));
    }
  }

  private static void axpy1(float[] acc, float[] b0, float x0, int n) {
    for (int j = 0; j < n; j++) {
      acc[j] = Math.fma(x0, b0[j], acc[j]);
    }
  }

  /** {@link JavaGemm#small} on floats: 4 × 4 blocks of C in registers, read through the strides of A and B. */
  static void small(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
      int aOffset, int lda, float[] b, int bOffset, int ldb, float[] c, int cOffset, int ldc) {
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

  private static void block4x4(int k, float alpha, float[] a, int a0, int ai, int ap, float[] b, int b0, int bj,
      int bp, float[] c, int c0, int ldc) {
    float c00 = 0, c01 = 0, c02 = 0, c03 = 0;
    float c10 = 0, c11 = 0, c12 = 0, c13 = 0;
    float c20 = 0, c21 = 0, c22 = 0, c23 = 0;
    float c30 = 0, c31 = 0, c32 = 0, c33 = 0;
    for (int p = 0, pa = a0, pb = b0; p < k; p++, pa += ap, pb += bp) {
      float x0 = a[pa];
      float x1 = a[pa + ai];
      float x2 = a[pa + 2 * ai];
      float x3 = a[pa + 3 * ai];
      float y0 = b[pb];
      float y1 = b[pb + bj];
      float y2 = b[pb + 2 * bj];
      float y3 = b[pb + 3 * bj];
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

  private static void addRow(float[] c, int at, float alpha, float s0, float s1, float s2, float s3) {
    c[at] += alpha * s0;
    c[at + 1] += alpha * s1;
    c[at + 2] += alpha * s2;
    c[at + 3] += alpha * s3;
  }

  private static float dot(int k, float[] a, int a0, int ap, float[] b, int b0, int bp) {
    float s = 0;
    for (int p = 0; p < k; p++) {
      s += a[a0 + p * ap] * b[b0 + p * bp];
    }
    return s;
  }

  static void scaleC(int m, int n, float beta, float[] c, int cOffset, int ldc) {
    if (beta == 1.0f) {
      return;
    }
    for (int i = 0; i < m; i++) {
      int row = cOffset + i * ldc;
      for (int j = 0; j < n; j++) {
        c[row + j] = beta == 0.0f ? 0.0f : beta * c[row + j];
      }
    }
  }
}
