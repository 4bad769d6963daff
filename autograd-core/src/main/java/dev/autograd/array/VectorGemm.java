package dev.autograd.array;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Pure-Java GEMM on the Vector API (incubating in Java 17; enabled with {@code --add-modules jdk.incubator.vector}).
 * The micro-kernel keeps a 4 × 2-vector block of C in registers while it streams a packed strip of A and a row of the
 * packed B panel, so each loaded vector of B feeds four fused multiply-adds and C is written once per k-block — about
 * four times the throughput of the auto-vectorised {@link JavaGemm}. Edges (rows beyond a multiple of 4, columns
 * beyond a multiple of two vectors) use JavaGemm's scalar loop. Only loaded when the module is present. Single
 * precision ({@link #sgemm}) has a kernel of its own, described there.
 */
final class VectorGemm implements Gemm {
  private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();
  private static final int WIDTH = 2 * LANES;
  private static final int K_BLOCK = 256;

  @Override
  public String name() {
    return "java-vector (" + LANES * 64 + "-bit)";
  }

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOffset, int lda, double[] b, int bOffset, int ldb,
      double beta, double[] c, int cOffset, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    JavaGemm.scaleC(m, n, beta, c, cOffset, ldc);
    if (k == 0 || alpha == 0.0) {
      return;
    }
    if (n < WIDTH && (long) m * n * k <= JavaGemm.SMALL_WORK) {
      // too narrow for even one vector block: JavaGemm's register-blocked kernel does these (n = 1 is a layer's
      // single output) without the scalar edge loop
      JavaGemm.small(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
      return;
    }
    double[] bp = JavaGemm.packB(transB, k, n, b, bOffset, ldb);
    int fullColumns = n - n % WIDTH;
    int rowBlocks = (m + 3) / 4;
    Parallel.forRange(rowBlocks, 2L * m * n * k / 4, (from, to) -> {
      double[] ap = new double[4 * Math.min(k, K_BLOCK)];
      for (int k0 = 0; k0 < k; k0 += K_BLOCK) {
        int kb = Math.min(K_BLOCK, k - k0);
        for (int rb = from; rb < to; rb++) {
          int i0 = rb * 4;
          int rows = Math.min(4, m - i0);
          JavaGemm.packA(transA, a, aOffset, lda, i0, rows, k0, kb, alpha, ap);
          int c0 = cOffset + i0 * ldc;
          if (rows == 4) {
            for (int j = 0; j < fullColumns; j += WIDTH) {
              kernel(ap, kb, bp, k0 * n + j, n, c, c0 + j, ldc);
            }
          }
          int startColumn = rows == 4 ? fullColumns : 0;
          if (startColumn < n) {
            for (int r = 0; r < rows; r++) {
              JavaGemm.kernel1(ap, r, kb, bp, k0, n, startColumn, n - startColumn, c, c0 + r * ldc);
            }
          }
        }
      }
    });
  }

  /** C[4 × WIDTH] at c0 += packed A strip (4 × kb) · B panel rows starting at b0 (row stride n). */
  private static void kernel(double[] ap, int kb, double[] bp, int b0, int n, double[] c, int c0, int ldc) {
    int c1 = c0 + ldc;
    int c2 = c1 + ldc;
    int c3 = c2 + ldc;
    DoubleVector r00 = DoubleVector.fromArray(SPECIES, c, c0);
    DoubleVector r01 = DoubleVector.fromArray(SPECIES, c, c0 + LANES);
    DoubleVector r10 = DoubleVector.fromArray(SPECIES, c, c1);
    DoubleVector r11 = DoubleVector.fromArray(SPECIES, c, c1 + LANES);
    DoubleVector r20 = DoubleVector.fromArray(SPECIES, c, c2);
    DoubleVector r21 = DoubleVector.fromArray(SPECIES, c, c2 + LANES);
    DoubleVector r30 = DoubleVector.fromArray(SPECIES, c, c3);
    DoubleVector r31 = DoubleVector.fromArray(SPECIES, c, c3 + LANES);
    for (int p = 0; p < kb; p++) {
      int br = b0 + p * n;
      DoubleVector v0 = DoubleVector.fromArray(SPECIES, bp, br);
      DoubleVector v1 = DoubleVector.fromArray(SPECIES, bp, br + LANES);
      DoubleVector a0 = DoubleVector.broadcast(SPECIES, ap[p * 4]);
      DoubleVector a1 = DoubleVector.broadcast(SPECIES, ap[p * 4 + 1]);
      DoubleVector a2 = DoubleVector.broadcast(SPECIES, ap[p * 4 + 2]);
      DoubleVector a3 = DoubleVector.broadcast(SPECIES, ap[p * 4 + 3]);
      r00 = a0.fma(v0, r00);
      r01 = a0.fma(v1, r01);
      r10 = a1.fma(v0, r10);
      r11 = a1.fma(v1, r11);
      r20 = a2.fma(v0, r20);
      r21 = a2.fma(v1, r21);
      r30 = a3.fma(v0, r30);
      r31 = a3.fma(v1, r31);
    }
    r00.intoArray(c, c0);
    r01.intoArray(c, c0 + LANES);
    r10.intoArray(c, c1);
    r11.intoArray(c, c1 + LANES);
    r20.intoArray(c, c2);
    r21.intoArray(c, c2 + LANES);
    r30.intoArray(c, c3);
    r31.intoArray(c, c3 + LANES);
  }

  // float: a register-tiled kernel on packed panels of A and B (the classic GotoBLAS layout), edge tiles zero-padded

  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
  private static final int FLOAT_LANES = FLOATS.length();
  /** Columns of a C tile: two float vectors. */
  private static final int NR = 2 * FLOAT_LANES;
  /**
   * Rows of a C tile, held in 2·MR vector registers while a strip of A and a panel of B stream past. With 256-bit
   * vectors (AVX2: 16 registers) 6 rows use 12 for C, 2 for B and 1 for a broadcast of A; 8 rows would spill. With
   * 512-bit vectors (AVX-512: 32 registers) 8 rows fit. Measured at n = 1024 on one core of the AVX-512 host, in
   * GFLOP/s: 6 rows 108, 8 rows 131 (12 × 2 and 6 × 4 vectors: about 120); with the JVM held to AVX2
   * ({@code -XX:UseAVX=2}): 6 rows 75-78, 8 rows 65-70, 4 × 3 vectors 59.
   */
  private static final int MR = FLOAT_LANES == 8 ? 6 : 8;
  /** Depth of a packed block: an MR × KC strip of A (8 KB at most) stays in L1 while it passes over a block of B. */
  private static final int KC = 256;
  /** Width of a block of B (KC × NC floats, 512 KB) that stays in L2 while the row strips of a chunk pass over it. */
  private static final int NC = 512;

  /**
   * Unlike the double kernel above, op(B) is packed into panels one tile wide (each read front to back), op(A) into
   * strips one tile high, and partial tiles at the right and bottom edges go through a zero-padded copy, so a single
   * kernel does every tile. Measured at n = 1024 on two cores with 512-bit vectors, in the benchmark's rounds: 207-223
   * GFLOP/s, 0.62-0.65 of NumPy's float32 product (the double kernel above: 53, 0.35 of NumPy's float64).
   */
  @Override
  public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
      float beta, float[] c, int cOffset, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    JavaSgemm.scaleC(m, n, beta, c, cOffset, ldc);
    if (k == 0 || alpha == 0.0f) {
      return;
    }
    if (n < NR && (long) m * n * k <= JavaGemm.SMALL_WORK) {
      // narrower than a tile: the register-blocked scalar kernel does these without padding
      JavaSgemm.small(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
      return;
    }
    int strips = (n + NR - 1) / NR;
    int stripsPerBlock = Math.max(1, NC / NR);
    float[] bp = packPanels(transB, k, n, b, bOffset, ldb, strips);
    int rowStrips = (m + MR - 1) / MR;
    Parallel.forRange(rowStrips, 2L * m * n * k / 4, (from, to) -> {
      float[] ap = new float[(to - from) * MR * Math.min(k, KC)];
      float[] tile = new float[MR * NR];
      for (int k0 = 0; k0 < k; k0 += KC) {
        int kb = Math.min(KC, k - k0);
        for (int s = from; s < to; s++) {
          packStrip(transA, a, aOffset, lda, s * MR, Math.min(MR, m - s * MR), k0, kb, alpha, ap,
              (s - from) * MR * kb);
        }
        for (int t0 = 0; t0 < strips; t0 += stripsPerBlock) {
          int tEnd = Math.min(strips, t0 + stripsPerBlock);
          for (int s = from; s < to; s++) {
            int i0 = s * MR;
            int rows = Math.min(MR, m - i0);
            int a0 = (s - from) * MR * kb;
            for (int t = t0; t < tEnd; t++) {
              int j0 = t * NR;
              int cols = Math.min(NR, n - j0);
              int b0 = (t * k + k0) * NR;
              int c0 = cOffset + i0 * ldc + j0;
              if (rows == MR && cols == NR) {
                tile(ap, a0, kb, bp, b0, c, c0, ldc);
              } else { // through a full-size copy; the zero padding of A and B leaves its extra cells unused
                for (int r = 0; r < rows; r++) {
                  System.arraycopy(c, c0 + r * ldc, tile, r * NR, cols);
                }
                tile(ap, a0, kb, bp, b0, tile, 0, NR);
                for (int r = 0; r < rows; r++) {
                  System.arraycopy(tile, r * NR, c, c0 + r * ldc, cols);
                }
              }
            }
          }
        }
      }
    });
  }

  /**
   * op(B) as column strips NR wide, each a contiguous k × NR row-major panel (strip t at {@code t * k * NR}), the last
   * one padded with zero columns. Strips are packed in parallel, as the product is.
   */
  private static float[] packPanels(boolean transB, int k, int n, float[] b, int bOffset, int ldb, int strips) {
    float[] bp = new float[strips * k * NR];
    Parallel.forRange(strips, (long) k * n, (from, to) -> {
      for (int t = from; t < to; t++) {
        int j0 = t * NR;
        int cols = Math.min(NR, n - j0);
        for (int p = 0; p < k; p++) {
          int dst = (t * k + p) * NR;
          if (transB) {
            for (int j = 0, at = bOffset + j0 * ldb + p; j < cols; j++, at += ldb) {
              bp[dst + j] = b[at];
            }
          } else {
            System.arraycopy(b, bOffset + p * ldb + j0, bp, dst, cols);
          }
        }
      }
    });
    return bp;
  }

  /** alpha · op(A)[i0 .. i0+rows, k0 .. k0+kb) into ap at a0 as ap[a0 + p·MR + r], with rows up to MR zero. */
  private static void packStrip(boolean transA, float[] a, int aOffset, int lda, int i0, int rows, int k0, int kb,
      float alpha, float[] ap, int a0) {
    for (int r = 0; r < MR; r++) {
      for (int p = 0; p < kb; p++) {
        float v = r >= rows ? 0 : transA ? a[aOffset + (k0 + p) * lda + i0 + r] : a[aOffset + (i0 + r) * lda + k0 + p];
        ap[a0 + p * MR + r] = alpha * v;
      }
    }
  }

  /** C[MR × NR] at c0 (row stride ldc) += packed A strip (kb × MR at a0) · packed B panel (kb × NR at b0). */
  private static void tile(float[] ap, int a0, int kb, float[] bp, int b0, float[] c, int c0, int ldc) {
    if (MR == 8) { // a constant: the JIT keeps one branch
      tile8(ap, a0, kb, bp, b0, c, c0, ldc);
    } else {
      tile6(ap, a0, kb, bp, b0, c, c0, ldc);
    }
  }

  // The two tiles are the same code for 6 and 8 rows: accumulators must be named locals to stay in registers.

  private static void tile6(float[] ap, int a0, int kb, float[] bp, int b0, float[] c, int c0, int ldc) {
    FloatVector r00 = FloatVector.fromArray(FLOATS, c, c0);
    FloatVector r01 = FloatVector.fromArray(FLOATS, c, c0 + FLOAT_LANES);
    FloatVector r10 = FloatVector.fromArray(FLOATS, c, c0 + 1 * ldc);
    FloatVector r11 = FloatVector.fromArray(FLOATS, c, c0 + 1 * ldc + FLOAT_LANES);
    FloatVector r20 = FloatVector.fromArray(FLOATS, c, c0 + 2 * ldc);
    FloatVector r21 = FloatVector.fromArray(FLOATS, c, c0 + 2 * ldc + FLOAT_LANES);
    FloatVector r30 = FloatVector.fromArray(FLOATS, c, c0 + 3 * ldc);
    FloatVector r31 = FloatVector.fromArray(FLOATS, c, c0 + 3 * ldc + FLOAT_LANES);
    FloatVector r40 = FloatVector.fromArray(FLOATS, c, c0 + 4 * ldc);
    FloatVector r41 = FloatVector.fromArray(FLOATS, c, c0 + 4 * ldc + FLOAT_LANES);
    FloatVector r50 = FloatVector.fromArray(FLOATS, c, c0 + 5 * ldc);
    FloatVector r51 = FloatVector.fromArray(FLOATS, c, c0 + 5 * ldc + FLOAT_LANES);
    for (int p = 0, pa = a0, pb = b0; p < kb; p++, pa += 6, pb += NR) {
      FloatVector v0 = FloatVector.fromArray(FLOATS, bp, pb);
      FloatVector v1 = FloatVector.fromArray(FLOATS, bp, pb + FLOAT_LANES);
      FloatVector x0 = FloatVector.broadcast(FLOATS, ap[pa]);
      r00 = x0.fma(v0, r00);
      r01 = x0.fma(v1, r01);
      FloatVector x1 = FloatVector.broadcast(FLOATS, ap[pa + 1]);
      r10 = x1.fma(v0, r10);
      r11 = x1.fma(v1, r11);
      FloatVector x2 = FloatVector.broadcast(FLOATS, ap[pa + 2]);
      r20 = x2.fma(v0, r20);
      r21 = x2.fma(v1, r21);
      FloatVector x3 = FloatVector.broadcast(FLOATS, ap[pa + 3]);
      r30 = x3.fma(v0, r30);
      r31 = x3.fma(v1, r31);
      FloatVector x4 = FloatVector.broadcast(FLOATS, ap[pa + 4]);
      r40 = x4.fma(v0, r40);
      r41 = x4.fma(v1, r41);
      FloatVector x5 = FloatVector.broadcast(FLOATS, ap[pa + 5]);
      r50 = x5.fma(v0, r50);
      r51 = x5.fma(v1, r51);
    }
    r00.intoArray(c, c0);
    r01.intoArray(c, c0 + FLOAT_LANES);
    r10.intoArray(c, c0 + 1 * ldc);
    r11.intoArray(c, c0 + 1 * ldc + FLOAT_LANES);
    r20.intoArray(c, c0 + 2 * ldc);
    r21.intoArray(c, c0 + 2 * ldc + FLOAT_LANES);
    r30.intoArray(c, c0 + 3 * ldc);
    r31.intoArray(c, c0 + 3 * ldc + FLOAT_LANES);
    r40.intoArray(c, c0 + 4 * ldc);
    r41.intoArray(c, c0 + 4 * ldc + FLOAT_LANES);
    r50.intoArray(c, c0 + 5 * ldc);
    r51.intoArray(c, c0 + 5 * ldc + FLOAT_LANES);
  }

  private static void tile8(float[] ap, int a0, int kb, float[] bp, int b0, float[] c, int c0, int ldc) {
    FloatVector r00 = FloatVector.fromArray(FLOATS, c, c0);
    FloatVector r01 = FloatVector.fromArray(FLOATS, c, c0 + FLOAT_LANES);
    FloatVector r10 = FloatVector.fromArray(FLOATS, c, c0 + 1 * ldc);
    FloatVector r11 = FloatVector.fromArray(FLOATS, c, c0 + 1 * ldc + FLOAT_LANES);
    FloatVector r20 = FloatVector.fromArray(FLOATS, c, c0 + 2 * ldc);
    FloatVector r21 = FloatVector.fromArray(FLOATS, c, c0 + 2 * ldc + FLOAT_LANES);
    FloatVector r30 = FloatVector.fromArray(FLOATS, c, c0 + 3 * ldc);
    FloatVector r31 = FloatVector.fromArray(FLOATS, c, c0 + 3 * ldc + FLOAT_LANES);
    FloatVector r40 = FloatVector.fromArray(FLOATS, c, c0 + 4 * ldc);
    FloatVector r41 = FloatVector.fromArray(FLOATS, c, c0 + 4 * ldc + FLOAT_LANES);
    FloatVector r50 = FloatVector.fromArray(FLOATS, c, c0 + 5 * ldc);
    FloatVector r51 = FloatVector.fromArray(FLOATS, c, c0 + 5 * ldc + FLOAT_LANES);
    FloatVector r60 = FloatVector.fromArray(FLOATS, c, c0 + 6 * ldc);
    FloatVector r61 = FloatVector.fromArray(FLOATS, c, c0 + 6 * ldc + FLOAT_LANES);
    FloatVector r70 = FloatVector.fromArray(FLOATS, c, c0 + 7 * ldc);
    FloatVector r71 = FloatVector.fromArray(FLOATS, c, c0 + 7 * ldc + FLOAT_LANES);
    for (int p = 0, pa = a0, pb = b0; p < kb; p++, pa += 8, pb += NR) {
      FloatVector v0 = FloatVector.fromArray(FLOATS, bp, pb);
      FloatVector v1 = FloatVector.fromArray(FLOATS, bp, pb + FLOAT_LANES);
      FloatVector x0 = FloatVector.broadcast(FLOATS, ap[pa]);
      r00 = x0.fma(v0, r00);
      r01 = x0.fma(v1, r01);
      FloatVector x1 = FloatVector.broadcast(FLOATS, ap[pa + 1]);
      r10 = x1.fma(v0, r10);
      r11 = x1.fma(v1, r11);
      FloatVector x2 = FloatVector.broadcast(FLOATS, ap[pa + 2]);
      r20 = x2.fma(v0, r20);
      r21 = x2.fma(v1, r21);
      FloatVector x3 = FloatVector.broadcast(FLOATS, ap[pa + 3]);
      r30 = x3.fma(v0, r30);
      r31 = x3.fma(v1, r31);
      FloatVector x4 = FloatVector.broadcast(FLOATS, ap[pa + 4]);
      r40 = x4.fma(v0, r40);
      r41 = x4.fma(v1, r41);
      FloatVector x5 = FloatVector.broadcast(FLOATS, ap[pa + 5]);
      r50 = x5.fma(v0, r50);
      r51 = x5.fma(v1, r51);
      FloatVector x6 = FloatVector.broadcast(FLOATS, ap[pa + 6]);
      r60 = x6.fma(v0, r60);
      r61 = x6.fma(v1, r61);
      FloatVector x7 = FloatVector.broadcast(FLOATS, ap[pa + 7]);
      r70 = x7.fma(v0, r70);
      r71 = x7.fma(v1, r71);
    }
    r00.intoArray(c, c0);
    r01.intoArray(c, c0 + FLOAT_LANES);
    r10.intoArray(c, c0 + 1 * ldc);
    r11.intoArray(c, c0 + 1 * ldc + FLOAT_LANES);
    r20.intoArray(c, c0 + 2 * ldc);
    r21.intoArray(c, c0 + 2 * ldc + FLOAT_LANES);
    r30.intoArray(c, c0 + 3 * ldc);
    r31.intoArray(c, c0 + 3 * ldc + FLOAT_LANES);
    r40.intoArray(c, c0 + 4 * ldc);
    r41.intoArray(c, c0 + 4 * ldc + FLOAT_LANES);
    r50.intoArray(c, c0 + 5 * ldc);
    r51.intoArray(c, c0 + 5 * ldc + FLOAT_LANES);
    r60.intoArray(c, c0 + 6 * ldc);
    r61.intoArray(c, c0 + 6 * ldc + FLOAT_LANES);
    r70.intoArray(c, c0 + 7 * ldc);
    r71.intoArray(c, c0 + 7 * ldc + FLOAT_LANES);
  }
}
