package dev.autograd.array;

/**
 * Reductions over one block of consecutive axes of a contiguous array viewed as {@code [outer, extent, inner]}. An
 * arbitrary set of axes is reduced one maximal block at a time (see {@link NDArray#sum(int[], boolean)}), which is
 * valid because all of these are associative.
 */
enum ReduceOp {
  SUM(0.0) {
    @Override
    void accumulate(double[] src, int so, double[] dst, int d0, int n) {
      for (int i = 0; i < n; i++) {
        dst[d0 + i] += src[so + i];
      }
    }
  },
  MAX(Double.NEGATIVE_INFINITY) {
    @Override
    void accumulate(double[] src, int so, double[] dst, int d0, int n) {
      for (int i = 0; i < n; i++) {
        dst[d0 + i] = Math.max(dst[d0 + i], src[so + i]);
      }
    }
  },
  MIN(Double.POSITIVE_INFINITY) {
    @Override
    void accumulate(double[] src, int so, double[] dst, int d0, int n) {
      for (int i = 0; i < n; i++) {
        dst[d0 + i] = Math.min(dst[d0 + i], src[so + i]);
      }
    }
  },
  PROD(1.0) {
    @Override
    void accumulate(double[] src, int so, double[] dst, int d0, int n) {
      for (int i = 0; i < n; i++) {
        dst[d0 + i] *= src[so + i];
      }
    }
  };

  private static final int LANES = 16;

  final double identity;

  ReduceOp(double identity) {
    this.identity = identity;
  }

  /** dst[d0 .. d0+n) ⊕= src[so .. so+n). */
  abstract void accumulate(double[] src, int so, double[] dst, int d0, int n);

  /**
   * Folds a contiguous row into one number: 16 independent lanes first (so the accumulation loop vectorises and
   * dispatch happens once per 16 elements), then the lanes themselves.
   */
  double row(double[] src, int so, int n) {
    double[] lanes = new double[LANES];
    java.util.Arrays.fill(lanes, identity);
    int full = n - n % LANES;
    for (int i = 0; i < full; i += LANES) {
      accumulate(src, so + i, lanes, 0, LANES);
    }
    accumulate(src, so + full, lanes, 0, n - full);
    double[] acc = {identity};
    for (int i = 0; i < LANES; i++) {
      accumulate(lanes, i, acc, 0, 1);
    }
    return acc[0];
  }

  /**
   * Reduces the middle axis of {@code src} seen as {@code [outer, extent, inner]} (contiguous from {@code so}).
   * The inner loop runs over {@code inner} contiguous elements, so reducing the batch axis of a matrix (the bias
   * gradient) streams through memory instead of striding.
   */
  double[] block(double[] src, int so, int outer, int extent, int inner) {
    if (extent == 1) { // reducing an axis of length 1 (one class, one feature) leaves every element as it is
      return java.util.Arrays.copyOfRange(src, so, so + outer * inner);
    }
    double[] dst = new double[outer * inner];
    if (inner == 1) {
      Parallel.forRange(outer, (long) outer * extent, (from, to) -> {
        for (int o = from; o < to; o++) {
          dst[o] = row(src, so + o * extent, extent);
        }
      });
      return dst;
    }
    java.util.Arrays.fill(dst, identity);
    Parallel.forRange(outer, (long) outer * extent * inner, (from, to) -> {
      for (int o = from; o < to; o++) {
        for (int e = 0; e < extent; e++) {
          accumulate(src, so + (o * extent + e) * inner, dst, o * inner, inner);
        }
      }
    });
    return dst;
  }

  /** Elements per widened chunk of {@link #blockF}. */
  private static final int CHUNK = 1024;

  /**
   * {@link #block} of a float32 buffer, accumulated in double, so that a sum of 10^6 floats keeps its digits (PyTorch
   * gets there with cascade summation in float32, and accumulates its variances in double): each run of contiguous
   * floats is widened into a small scratch buffer and handed to the double loop, so every op is defined once. The
   * caller rounds the result.
   */
  double[] blockF(float[] src, int so, int outer, int extent, int inner) {
    double[] dst = new double[outer * inner];
    if (inner == 1) {
      Parallel.forRange(outer, (long) outer * extent, (from, to) -> {
        double[] scratch = new double[Math.min(extent, CHUNK)];
        double[] acc = new double[1];
        for (int o = from; o < to; o++) {
          acc[0] = identity;
          for (int e = 0; e < extent; e += CHUNK) {
            int n = widen(src, so + o * extent + e, Math.min(CHUNK, extent - e), scratch);
            double[] part = {row(scratch, 0, n)};
            accumulate(part, 0, acc, 0, 1);
          }
          dst[o] = acc[0];
        }
      });
      return dst;
    }
    java.util.Arrays.fill(dst, identity);
    Parallel.forRange(outer, (long) outer * extent * inner, (from, to) -> {
      double[] scratch = new double[Math.min(inner, CHUNK)];
      for (int o = from; o < to; o++) {
        for (int e = 0; e < extent; e++) {
          for (int i = 0; i < inner; i += CHUNK) {
            int n = widen(src, so + (o * extent + e) * inner + i, Math.min(CHUNK, inner - i), scratch);
            accumulate(scratch, 0, dst, o * inner + i, n);
          }
        }
      }
    });
    return dst;
  }

  private static int widen(float[] src, int from, int n, double[] into) {
    for (int i = 0; i < n; i++) {
      into[i] = src[from + i];
    }
    return n;
  }
}
