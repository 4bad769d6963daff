package dev.autograd.array;

import static com.google.common.base.Preconditions.checkNotNull;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Holds the {@link Gemm} every matmul uses. The pure-Java kernel is the default; a faster one can be installed. */
public final class Gemms {
  private static final Logger log = LoggerFactory.getLogger(Gemms.class);
  private static volatile Gemm current = new JavaGemm();

  private Gemms() {}

  /** The implementation in use. */
  public static Gemm current() {
    return current;
  }

  /** The always-available pure-Java implementation (for comparisons and fallbacks). */
  public static Gemm pureJava() {
    return new JavaGemm();
  }

  /** Replaces the implementation for all later matmuls (process-wide). */
  public static void install(Gemm gemm) {
    current = checkNotNull(gemm, "gemm");
    log.debug("matmul backend: {}", gemm.name());
  }
}
