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
   * back, so any implementation is correct for float32; the bundled implementations override it with real sgemm.
   */
  default void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
      float beta, float[] c, int cOffset, int ldc) {
    double[] ad = new double[a.length];
    double[] bd = new double[b.length];
    double[] cd = new double[c.length];
    for (int i = 0; i < a.length; i++) {
      ad[i] = a[i];
    }
    for (int i = 0; i < b.length; i++) {
      bd[i] = b[i];
    }
    for (int i = 0; i < c.length; i++) {
      cd[i] = c[i];
    }
    gemm(transA, transB, m, n, k, alpha, ad, aOffset, lda, bd, bOffset, ldb, beta, cd, cOffset, ldc);
    for (int i = 0; i < c.length; i++) {
      c[i] = (float) cd[i];
    }
  }

  /** Short name for logs and benchmark tables, e.g. {@code "java"} or {@code "openblas"}. */
  String name();
}
