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

  /** Short name for logs and benchmark tables, e.g. {@code "java"} or {@code "openblas"}. */
  String name();
}
