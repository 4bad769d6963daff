package dev.autograd.array;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;

/**
 * GEMM through the system BLAS (via netlib's JNI bindings), which is column-major: a row-major
 * C = op(A)·op(B) is computed as the column-major Cᵀ = op(B)ᵀ·op(A)ᵀ, i.e. the same buffers with the operands
 * swapped. No data is copied.
 */
final class NativeGemm implements Gemm {
  private final BLAS blas;

  private NativeGemm(BLAS blas) {
    this.blas = blas;
  }

  /** The native implementation, or null when no native BLAS library could be loaded. */
  static NativeGemm loadOrNull() {
    try {
      BLAS b = NativeBLAS.getInstance();
      return new NativeGemm(b);
    } catch (Throwable notAvailable) { // missing library, unsupported platform, or no JNI glue for this OS
      return null;
    }
  }

  @Override
  public String name() {
    return "native (" + blas.getClass().getSimpleName() + ")";
  }

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOffset, int lda, double[] b, int bOffset, int ldb,
      double beta, double[] c, int cOffset, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    blas.dgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha, b, bOffset, Math.max(1, ldb), a, aOffset,
        Math.max(1, lda), beta, c, cOffset, Math.max(1, ldc));
  }
}
