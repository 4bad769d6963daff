package dev.autograd.array;

import static com.google.common.base.Preconditions.checkArgument;


/**
 * How many threads the Java kernels may use (like PyTorch's {@code set_num_threads}). Work is split only for ops above
 * about 65,000 element-operations, so small ops always run on the calling thread. The default is the number of
 * available processors (the caller plus the common ForkJoin pool); the native BLAS, when in use, manages its own
 * threads.
 */
public final class Threads {
  private Threads() {}

  public static int get() {
    return Parallel.threads();
  }

  /** Sets the number of threads for large kernels (1 = everything on the calling thread). */
  public static void set(int n) {
    checkArgument(n >= 1 && n <= Parallel.MAX_THREADS,
        "Threads.set: %s threads requested, between 1 and the %s available processors are possible", n,
        Parallel.MAX_THREADS);
    Parallel.setThreads(n);
  }
}
