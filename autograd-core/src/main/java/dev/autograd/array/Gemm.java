package dev.autograd.array;

/**
 * General matrix multiply on row-major double buffers: {@code C = alpha · op(A) · op(B) + beta · C}, where
 * {@code op(X)} is X or its transpose. Every matmul in the library goes through this one interface, so a native
 * BLAS can be put behind it without touching the array or graph code.
 *
 * <p>Shapes: op(A) is {@code m × k}, op(B) is {@code k × n}, C is {@code m × n}. Leading dimensions are the row
 * strides of the stored (untransposed) buffers.
 */
public interface Gemm {
  void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOffset, int lda, double[] b, int bOffset, int ldb,
      double beta, double[] c, int cOffset, int ldc);

  /**
   * {@link #gemm} on float32 buffers. This default widens the operands to double, calls {@link #gemm} and rounds C
   * back, so any implementation is correct for float32. It widens only the elements the product reads and writes back
   * only those of C: a batched matmul hands every product of the batch the same buffers, from several threads at
   * once, so converting (and storing back) whole buffers cost the batch size times over and overwrote other
   * products' results.
   */
  default void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
      float beta, float[] c, int cOffset, int ldc) {
    int aCols = transA ? m : k;
    int bCols = transB ? k : n;
    double[] ad = widen(a, aOffset, transA ? k : m, aCols, lda);
    double[] bd = widen(b, bOffset, transB ? n : k, bCols, ldb);
    double[] cd = widen(c, cOffset, m, n, ldc);
    gemm(transA, transB, m, n, k, alpha, ad, 0, Math.max(1, aCols), bd, 0, Math.max(1, bCols), beta, cd, 0,
        Math.max(1, n));
    for (int r = 0; r < m; r++) {
      for (int j = 0; j < n; j++) {
        c[cOffset + r * ldc + j] = (float) cd[r * n + j];
      }
    }
  }

  /** The {@code rows × cols} block at {@code offset} (row stride {@code ld}) of {@code x}, widened and packed. */
  private static double[] widen(float[] x, int offset, int rows, int cols, int ld) {
    double[] out = new double[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < cols; j++) {
        out[r * cols + j] = x[offset + r * ld + j];
      }
    }
    return out;
  }

  /** Short name for logs and benchmark tables, e.g. {@code "java"} or {@code "openblas"}. */
  String name();
}
