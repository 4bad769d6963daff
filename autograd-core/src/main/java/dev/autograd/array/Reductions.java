package dev.autograd.array;

import static com.google.common.base.Preconditions.checkArgument;

/** Axis reductions behind {@link NDArray#sum}, {@code max}, {@code min}, {@code mean} and {@code argmax}. */
final class Reductions {
  private Reductions() {}

  /**
   * Reduces {@code axes} (empty = all). Each maximal run of consecutive axes is one {@link ReduceOp#block} pass over
   * a contiguous buffer; runs are taken from the last axis backwards so earlier axis numbers stay valid.
   */
  static NDArray reduce(String name, ReduceOp op, NDArray x, int[] axes, boolean keepDims) {
    int[] ax = Shapes.normalizeAxes(name, axes, x.rank());
    int[] shape = x.shapeRef().clone();
    if (op == ReduceOp.MAX || op == ReduceOp.MIN) {
      for (int a : ax) {
        checkArgument(shape[a] > 0, "%s: cannot reduce axis %s of length 0 in shape %s (no identity element)",
            name, a, Shapes.lazyFormat(shape));
      }
    }
    NDArray cur = x.contiguous();
    for (int i = ax.length - 1; i >= 0; i--) {
      int end = ax[i];
      int start = end;
      while (i > 0 && ax[i - 1] == start - 1) {
        start--;
        i--;
      }
      int outer = prod(shape, 0, start);
      int extent = prod(shape, start, end + 1);
      int inner = prod(shape, end + 1, shape.length);
      // a float32 input is read as floats once; later passes (and the accumulator) are double
      double[] reduced = cur.dtype() == DType.FLOAT32 ? op.blockF(cur.floatBuffer(), cur.offset(), outer, extent, inner)
          : op.block(cur.buffer(), cur.offset(), outer, extent, inner);
      for (int d = start; d <= end; d++) {
        shape[d] = 1;
      }
      cur = NDArray.wrap(reduced, shape.clone());
    }
    cur = cur.to(x.dtype());
    return keepDims ? cur : cur.reshape(Shapes.reducedShape(x.shapeRef(), ax, false));
  }

  /**
   * Index of the largest (or smallest) element along {@code axis}, the first one on ties, as doubles. A NaN wins,
   * as NaN propagates through max and min.
   */
  static NDArray argExtremum(String op, NDArray x, int axis, boolean keepDims, boolean largest) {
    int a = Shapes.normalizeAxis(op, axis, x.rank());
    int[] shape = x.shapeRef();
    checkArgument(shape[a] > 0, "%s: axis %s has length 0 in shape %s", op, a, Shapes.lazyFormat(shape));
    NDArray c = x.contiguous().to(DType.FLOAT64); // indices are float64 whatever the input's dtype
    double[] src = c.buffer();
    int so = c.offset();
    int outer = prod(shape, 0, a);
    int extent = shape[a];
    int inner = prod(shape, a + 1, shape.length);
    double[] out = new double[outer * inner];
    for (int o = 0; o < outer; o++) {
      for (int in = 0; in < inner; in++) {
        int best = 0;
        double bestValue = src[so + o * extent * inner + in];
        for (int e = 1; e < extent; e++) {
          double v = src[so + (o * extent + e) * inner + in];
          if ((largest ? v > bestValue : v < bestValue) || (Double.isNaN(v) && !Double.isNaN(bestValue))) {
            best = e;
            bestValue = v;
          }
        }
        out[o * inner + in] = best;
      }
    }
    return NDArray.wrap(out, Shapes.reducedShape(shape, new int[] {a}, keepDims));
  }

  static int prod(int[] shape, int from, int to) {
    int p = 1;
    for (int i = from; i < to; i++) {
      p *= shape[i];
    }
    return p;
  }
}
