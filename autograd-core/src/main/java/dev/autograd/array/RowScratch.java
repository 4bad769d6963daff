package dev.autograd.array;

/**
 * Per-thread scratch rows through which {@link BinaryOp#rows} and {@link UnaryOp#rows} stage operands that sit at
 * different offsets, so that the kernels always index their buffers with one offset. Kept per thread, not
 * allocated per call: a broadcast op stages every row, and a bias over a batch has a row per example.
 */
final class RowScratch {
  /** Elements per staged chunk: three float64 chunks fit in L1 beside the kernel's own data. */
  static final int CHUNK = 512;

  private static final ThreadLocal<RowScratch> LOCAL = ThreadLocal.withInitial(RowScratch::new);

  private final double[][] doubles = new double[3][CHUNK];
  private final float[][] floats = new float[3][CHUNK];

  private RowScratch() {}

  static RowScratch get() {
    return LOCAL.get();
  }

  /** Scratch row {@code i} (0 to 2) of the element type of {@code like}, a {@code double[]} or {@code float[]}. */
  Object buffer(int i, Object like) {
    return like instanceof double[] ? doubles[i] : floats[i];
  }
}
