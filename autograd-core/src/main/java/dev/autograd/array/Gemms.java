package dev.autograd.array;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the {@link Gemm} every matmul uses. At first use it picks the fastest available and says which in one INFO
 * line: a native BLAS through netlib's JNI bindings (a {@link BundledBlas} such as autograd-openblas first, else the
 * system's) when one loads and measures faster than the pure-Java kernel on a probe product (this rejects the slow
 * reference BLAS), for products large enough to amortise the JNI call; the pure-Java kernel otherwise (on the Vector
 * API when the JVM runs with {@code --add-modules jdk.incubator.vector}). The system property {@code autograd.gemm}
 * forces a choice: {@code java} or {@code native}.
 */
public final class Gemms {
  private static final Logger log = LoggerFactory.getLogger(Gemms.class);
  /**
   * Below this many multiply-adds the JNI call (about 0.2 µs) costs more than it saves. Measured crossover: about a
   * 10×10×10 product; at 16×16×16, the layers of a tiny network, OpenBLAS is already twice as fast as Java.
   */
  static final long NATIVE_MIN_WORK = 1024;
  private static final int PROBE = 192;

  private static volatile Gemm current;

  private Gemms() {}

  /** The implementation in use. */
  public static Gemm current() {
    Gemm g = current;
    if (g == null) {
      synchronized (Gemms.class) {
        if (current == null) {
          current = choose();
          announce(current);
        }
        g = current;
      }
    }
    return g;
  }

  /**
   * The fastest pure-Java implementation available, chosen per precision. Without the Vector API (the JVM not run
   * with {@code --add-modules jdk.incubator.vector}) it is the loop kernel that C2 vectorises by itself. With it:
   *
   * <ul>
   *   <li>double: the Vector API kernel only with 512-bit vectors. With 256-bit vectors (AVX2) the loop kernel
   *       measured faster (about 26 against 22 GFLOP/s at n = 1024 on two cores); with 512-bit vectors the Vector
   *       API kernel reached 42 GFLOP/s.
   *   <li>float: the Vector API kernel at any width. At n = 1024 on two cores of an AVX-512 host it measured 241
   *       GFLOP/s against the loop kernel's 144 (best of several runs); with the same JVM held to 256-bit vectors
   *       ({@code -XX:UseAVX=2}) 160 against 130 (one core: 83 against 70).
   * </ul>
   */
  public static Gemm pureJava() {
    Gemm loops = new JavaGemm();
    Gemm vector = vectorKernelOrNull();
    if (vector == null) {
      return loops;
    }
    return vector.name().contains("512") ? vector : new PerPrecision(loops, vector);
  }

  /** The Vector API kernel, when the JVM has the module; null otherwise. */
  static Gemm vectorKernelOrNull() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
      try {
        return (Gemm) Class.forName("dev.autograd.array.VectorGemm").getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException | LinkageError e) {
        log.debug("Vector API kernel unavailable: {}", e.toString());
      }
    }
    return null;
  }

  /** The native BLAS (bundled, else the system's), if one can be loaded, fast or not; null otherwise. */
  public static Gemm nativeOrNull() {
    return NativeHolder.GEMM;
  }

  /** Loads the native library once, on first use. */
  private static final class NativeHolder {
    static final NativeGemm GEMM = NativeGemm.loadOrNull();
  }

  /** How to get faster products than the loop kernel; empty when nothing faster is to be had. */
  static String advice(Gemm chosen) {
    return chosen instanceof SizeDispatch ? ""
        : "; for faster products add the dependency dev.autograd:autograd-openblas (OpenBLAS in a jar)";
  }

  private static void announce(Gemm chosen) {
    log.info("autograd matmul backend: {}{}", chosen.name(), advice(chosen));
  }

  /** Replaces the implementation for all later matmuls (process-wide). */
  public static void install(Gemm gemm) {
    current = checkNotNull(gemm, "gemm");
    log.debug("matmul backend: {}", gemm.name());
  }

  private static Gemm choose() {
    String forced = System.getProperty("autograd.gemm", "auto");
    Gemm java = pureJava();
    if (forced.equals("java")) {
      return java;
    }
    NativeGemm nat = NativeHolder.GEMM;
    if (nat == null) {
      if (forced.equals("native")) {
        log.warn("autograd.gemm=native, but no native BLAS could be loaded; using the pure-Java kernel");
      }
      return java;
    }
    if (!forced.equals("native") && !nat.bundled() && probeSeconds(nat) >= probeSeconds(java)) {
      log.debug("native BLAS ({}) is slower than the pure-Java kernel: a reference BLAS? Using Java.", nat.name());
      return java;
    }
    return new SizeDispatch(nat, java);
  }

  /** Best of a few timed probe products (after a warm-up), in seconds. */
  private static double probeSeconds(Gemm g) {
    SplittableRandom rng = new SplittableRandom(1);
    double[] a = new double[PROBE * PROBE];
    double[] b = new double[PROBE * PROBE];
    for (int i = 0; i < a.length; i++) {
      a[i] = rng.nextDouble();
      b[i] = rng.nextDouble();
    }
    double[] c = new double[PROBE * PROBE];
    double best = Double.MAX_VALUE;
    for (int r = 0; r < 6; r++) {
      long start = System.nanoTime();
      g.gemm(false, false, PROBE, PROBE, PROBE, 1.0, a, 0, PROBE, b, 0, PROBE, 0.0, c, 0, PROBE);
      best = r < 2 ? best : Math.min(best, (System.nanoTime() - start) / 1e9);
    }
    return best;
  }

  /** Doubles to one implementation, floats to another (each the faster at its precision). */
  static final class PerPrecision implements Gemm {
    private final Gemm doubles;
    private final Gemm floats;

    PerPrecision(Gemm doubles, Gemm floats) {
      this.doubles = doubles;
      this.floats = floats;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOffset,
        int lda, double[] b, int bOffset, int ldb, double beta, double[] c, int cOffset, int ldc) {
      doubles.gemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOffset,
        int lda, float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc) {
      floats.sgemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    }

    @Override
    public String name() {
      return doubles.name() + ", float " + floats.name();
    }
  }

  /** Large products to the native library, small ones to Java (no JNI transition for tiny layers). */
  static final class SizeDispatch implements Gemm {
    private final Gemm large;
    private final Gemm small;

    SizeDispatch(Gemm large, Gemm small) {
      this.large = large;
      this.small = small;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOffset,
        int lda, double[] b, int bOffset, int ldb, double beta, double[] c, int cOffset, int ldc) {
      Gemm g = (long) m * n * k >= NATIVE_MIN_WORK ? large : small;
      g.gemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    }

    /**
     * The same crossover as for double: measured, Java and native took the same time at 8 × 8 × 8 in either precision,
     * and native was 2.5 times faster at 10 × 10 × 10 in both.
     */
    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOffset,
        int lda, float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc) {
      Gemm g = (long) m * n * k >= NATIVE_MIN_WORK ? large : small;
      g.sgemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    }

    @Override
    public String name() {
      return large.name() + ", java below " + NATIVE_MIN_WORK + " multiply-adds";
    }
  }
}
