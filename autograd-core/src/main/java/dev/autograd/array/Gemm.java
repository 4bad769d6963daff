package dev.autograd.array;

/**
 * General matrix multiply on row-major double (and float) buffers: {@code C = alpha · op(A) · op(B) + beta · C}, where
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
   * {@link #gemm} on float buffers: {@code C = alpha · op(A) · op(B) + beta · C} with the same shapes, offsets and
   * leading dimensions (in elements), and BLAS semantics for {@code beta == 0}: C is then written without being read,
   * so whatever it held (NaN included) does not reach the result. With {@code m == 0} or {@code n == 0} nothing is
   * touched; with {@code k == 0} or {@code alpha == 0} C is only scaled by beta.
   *
   * <p>This default is correct for any implementation of {@link #gemm} (such as one given to {@link Gemms#install}),
   * not fast: it copies op(A), op(B) and, unless beta is 0, C into fresh double arrays, calls {@link #gemm} on them
   * and rounds each element of the result to the nearest float. Each element is so accumulated in double and rounded
   * once, which is more accurate than a float kernel (results differ from the built-in implementations' in the last
   * bits). The built-in implementations override this with float kernels.
   */
  default void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
      float beta, float[] c, int cOffset, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    double[] wa = widen(a, aOffset, lda, transA ? k : m, transA ? m : k);
    double[] wb = widen(b, bOffset, ldb, transB ? n : k, transB ? k : n);
    // with beta = 0, C's old contents are not copied: a NaN there cannot leak through a gemm that computes 0 · C
    double[] wc = beta == 0 ? new double[m * n] : widen(c, cOffset, ldc, m, n);
    gemm(transA, transB, m, n, k, alpha, wa, 0, Math.max(1, transA ? m : k), wb, 0, Math.max(1, transB ? k : n),
        beta, wc, 0, n);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        c[cOffset + i * ldc + j] = (float) wc[i * n + j];
      }
    }
  }

  /** The {@code rows × cols} matrix at {@code offset} with row stride {@code ld}, as a dense row-major double array. */
  private static double[] widen(float[] x, int offset, int ld, int rows, int cols) {
    double[] out = new double[rows * cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        out[i * cols + j] = x[offset + i * ld + j];
      }
    }
    return out;
  }

  /** Short name for logs and benchmark tables, e.g. {@code "java"} or {@code "openblas"}. */
  String name();
}
