package dev.autograd.array;

/**
 * Per-thread scratch rows through which {@link BinaryOp#rows} and {@link UnaryOp#rows} stage operands that are
 * strided, broadcast or at another offset than the output, so that the kernels always see unit-stride rows indexed
 * with one offset; the default float32 kernels also widen their chunks here. Kept per thread, not allocated per
 * call: a broadcast op stages every row, and a bias over a batch has a row per example.
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

  /** Float64 scratch row {@code i}, for widening float32 chunks (never the same array as a float32 row). */
  double[] doubles(int i) {
    return doubles[i];
  }

  /**
   * Scratch row {@code i} filled with {@code m} (≤ {@link #CHUNK}) elements of {@code src} from {@code from},
   * {@code stride} apart (0: one element repeated).
   */
  Object stage(int i, Object src, int from, int stride, int m) {
    Object into = buffer(i, src);
    if (stride == 1) {
      System.arraycopy(src, from, into, 0, m);
    } else if (stride == 0) {
      System.arraycopy(src, from, into, 0, Math.min(m, 1));
      for (int filled = 1; filled < m; filled *= 2) { // doubling copies: one loop for both element types
        System.arraycopy(into, 0, into, filled, Math.min(filled, m - filled));
      }
    } else {
      Layout.copyStrided(src, from, stride, into, 0, m);
    }
    return into;
  }
}
