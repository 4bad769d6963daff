package dev.autograd.array;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.logging.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GEMM through a native BLAS (via netlib's JNI bindings, which pass Java arrays without copying), which is
 * column-major: a row-major C = op(A)·op(B) is computed as the column-major Cᵀ = op(B)ᵀ·op(A)ᵀ, i.e. the same buffers
 * with the operands swapped. No data is copied.
 *
 * <p>The library is a {@link BundledBlas} found on the class path (such as autograd-openblas) if there is one, else the
 * system's {@code libblas.so.3}. netlib reports a missing library through java.util.logging as a WARNING with a stack
 * trace; a missing BLAS is normal here (we fall back to Java), so that logger is silenced while loading.
 */
final class NativeGemm implements Gemm {
  private static final Logger log = LoggerFactory.getLogger(NativeGemm.class);
  /** netlib's switch for the library it opens (the system property it reads when its JNI glue loads). */
  static final String NETLIB_LIBRARY_PATH = "dev.ludovic.netlib.blas.nativeLibPath";

  private final BLAS blas;
  private final String name;
  private final boolean bundled;

  private NativeGemm(BLAS blas, String name, boolean bundled) {
    this.blas = blas;
    this.name = name;
    this.bundled = bundled;
  }

  /** True for a {@link BundledBlas}: a known build, so no probe needs to rule out the slow reference BLAS. */
  boolean bundled() {
    return bundled;
  }

  /** The native implementation, or null when no native BLAS library could be loaded. */
  static NativeGemm loadOrNull() {
    String source = "system BLAS";
    boolean bundled = false;
    for (BundledBlas candidate : ServiceLoader.load(BundledBlas.class, NativeGemm.class.getClassLoader())) {
      try {
        Path library = candidate.load();
        System.setProperty(NETLIB_LIBRARY_PATH, library.toString());
        source = candidate.name();
        bundled = true;
        break;
      } catch (Exception | LinkageError e) {
        log.debug("bundled BLAS {} did not load: {}", candidate.name(), e.toString());
      }
    }
    java.util.logging.Logger netlib = java.util.logging.Logger.getLogger("dev.ludovic.netlib");
    Level before = netlib.getLevel();
    netlib.setLevel(Level.OFF);
    try {
      return new NativeGemm(NativeBLAS.getInstance(), source, bundled);
    } catch (Throwable notAvailable) { // missing library, unsupported platform, or no JNI glue for this OS
      log.debug("no native BLAS: {}", notAvailable.toString());
      return null;
    } finally {
      netlib.setLevel(before);
    }
  }

  @Override
  public String name() {
    return "native (" + name + ")";
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

  /** BLAS {@code sgemm}, with the operands swapped for row-major order as in {@link #gemm}. */
  @Override
  public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
      float beta, float[] c, int cOffset, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    blas.sgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha, b, bOffset, Math.max(1, ldb), a, aOffset,
        Math.max(1, lda), beta, c, cOffset, Math.max(1, ldc));
  }
}
