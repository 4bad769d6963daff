package dev.autograd.array;

/**
 * Kernels that walk each line of an array along one axis: running sums and products, running log-sum-exp, and the
 * stable sort permutation. Each moves the axis last, works on contiguous rows of a fresh copy, and moves it back.
 */
final class AxisScans {
  private AxisScans() {}

  /** Rewrites one contiguous row {@code d[from .. from+n)} in place. */
  @FunctionalInterface
  interface RowKernel {
    void apply(double[] d, int from, int n);
  }

  /**
   * Applies {@code kernel} to every line of {@code x} along {@code axis}; a rank-0 array is one line of length 1. The
   * lines are scanned in double precision and the result stored as {@code x}'s dtype.
   */
  static NDArray alongAxis(String op, NDArray x, int axis, RowKernel kernel) {
    return alongAxis(op, x, axis, kernel, x.dtype());
  }

  /** {@link #alongAxis(String, NDArray, int, RowKernel)} with the result stored as {@code dtype} (indices: float64). */
  static NDArray alongAxis(String op, NDArray x, int axis, RowKernel kernel, DType dtype) {
    int rank = x.rank();
    if (rank == 0) {
      Shapes.normalizeAxis(op, axis, 1);
      double[] d = {x.item()};
      kernel.apply(d, 0, 1);
      return NDArray.scalar(d[0], dtype);
    }
    int a = Shapes.normalizeAxis(op, axis, rank);
    int[] toLast = new int[rank];
    int[] back = new int[rank];
    for (int i = 0, j = 0; i < rank; i++) {
      if (i != a) {
        toLast[j++] = i;
      }
    }
    toLast[rank - 1] = a;
    for (int i = 0; i < rank; i++) {
      back[toLast[i]] = i;
    }
    NDArray moved = x.permute(toLast);
    double[] d = moved.toArray(); // a fresh contiguous copy, rows along the axis
    int n = x.dim(a);
    for (int row = 0; n > 0 && row < d.length; row += n) {
      kernel.apply(d, row, n);
    }
    return NDArray.wrap(d, moved.shape(), dtype).permute(back);
  }

  static void cumsum(double[] d, int from, int n) {
    for (int i = from + 1; i < from + n; i++) {
      d[i] += d[i - 1];
    }
  }

  static void cumprod(double[] d, int from, int n) {
    for (int i = from + 1; i < from + n; i++) {
      d[i] *= d[i - 1];
    }
  }

  /** Running log(Σ e^x), one log-add-exp per step so no prefix underflows against a later maximum. */
  static void logCumSumExp(double[] d, int from, int n) {
    for (int i = from + 1; i < from + n; i++) {
      d[i] = logAddExp(d[i - 1], d[i]);
    }
  }

  static double logAddExp(double a, double b) {
    double hi = Math.max(a, b);
    if (hi == Double.NEGATIVE_INFINITY || Double.isNaN(hi)) {
      return a + b; // −∞ with −∞ stays −∞; NaN propagates
    }
    if (hi == Double.POSITIVE_INFINITY) {
      return hi;
    }
    return hi + Math.log1p(Math.exp(Math.min(a, b) - hi));
  }

  /**
   * Replaces a row by the positions that sort it (stable: equal elements keep their order, also when descending).
   * NaN sorts above every number, as in NumPy and PyTorch; −0.0 and 0.0 are equal.
   */
  static RowKernel argsort(boolean descending) {
    return (d, from, n) -> {
      double[] keys = new double[n];
      int[] idx = new int[n];
      for (int i = 0; i < n; i++) {
        keys[i] = d[from + i];
        idx[i] = i;
      }
      mergeSort(keys, idx, new int[n], 0, n, descending);
      for (int i = 0; i < n; i++) {
        d[from + i] = idx[i];
      }
    };
  }

  /** True when {@code a} must come after {@code b}. */
  private static boolean after(double a, double b, boolean descending) {
    boolean aNaN = Double.isNaN(a);
    boolean bNaN = Double.isNaN(b);
    if (aNaN || bNaN) {
      return descending ? bNaN && !aNaN : aNaN && !bNaN;
    }
    return descending ? a < b : a > b;
  }

  private static void mergeSort(double[] keys, int[] idx, int[] tmp, int lo, int hi, boolean descending) {
    if (hi - lo < 2) {
      return;
    }
    int mid = (lo + hi) >>> 1;
    mergeSort(keys, idx, tmp, lo, mid, descending);
    mergeSort(keys, idx, tmp, mid, hi, descending);
    int i = lo;
    int j = mid;
    int k = lo;
    while (i < mid && j < hi) {
      // take from the right half only when strictly before: ties keep their original order
      tmp[k++] = after(keys[idx[i]], keys[idx[j]], descending) ? idx[j++] : idx[i++];
    }
    while (i < mid) {
      tmp[k++] = idx[i++];
    }
    while (j < hi) {
      tmp[k++] = idx[j++];
    }
    System.arraycopy(tmp, lo, idx, lo, hi - lo);
  }
}
