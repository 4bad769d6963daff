package dev.autograd.array;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * PyTorch's {@code gather}, {@code scatter} and {@code scatter_add} along one axis with an index array of the same
 * rank. For axis 0 of a matrix: {@code gather: out[i][j] = x[index[i][j]][j]}, {@code scatter: out[index[i][j]][j] =
 * src[i][j]}. Index arrays hold integral doubles (as every array here does), checked before any element is moved.
 */
final class Gathers {
  private Gathers() {}

  static NDArray gather(NDArray x, int axis, NDArray index) {
    int a = Shapes.normalizeAxis("gather", axis, Math.max(1, x.rank()));
    int[] xs = shapeOf(x);
    int[] is = shapeOf(index);
    checkRanks("gather", "input", xs, is);
    for (int d = 0; d < xs.length; d++) {
      checkArgument(d == a || is[d] <= xs[d], "gather: index shape %s exceeds input shape %s along axis %s "
          + "(only the gather axis %s may be longer)", Shapes.lazyFormat(is), Shapes.lazyFormat(xs), d, a);
    }
    int[] positions = checkedIndices("gather", index, xs.length == 0 ? 1 : xs[a], a);
    NDArray c = x.contiguous().to(DType.FLOAT64);
    double[] src = c.buffer();
    int so = c.offset();
    int[] xStrides = Shapes.contiguousStrides(xs);
    double[] out = new double[positions.length];
    forEachOffset(is, xStrides, a, positions, (p, offset) -> out[p] = src[so + offset]);
    return NDArray.wrap(out, index.shape(), x.dtype()); // widened and narrowed back: exact
  }

  /** {@code x} with {@code src}'s elements written (or added, when {@code accumulate}) at the indexed positions. */
  static NDArray scatter(String op, NDArray x, int axis, NDArray index, NDArray src, boolean accumulate) {
    int a = Shapes.normalizeAxis(op, axis, Math.max(1, x.rank()));
    int[] xs = shapeOf(x);
    int[] is = shapeOf(index);
    int[] ss = shapeOf(src);
    checkRanks(op, "input", xs, is);
    checkRanks(op, "source", ss, is);
    for (int d = 0; d < xs.length; d++) {
      checkArgument(is[d] <= ss[d] && (d == a || is[d] <= xs[d]), "%s: index shape %s must not exceed the source "
          + "shape %s along any axis, nor the input shape %s along axes other than %s", op, Shapes.lazyFormat(is),
          Shapes.lazyFormat(ss), Shapes.lazyFormat(xs), a);
    }
    int[] positions = checkedIndices(op, index, xs.length == 0 ? 1 : xs[a], a);
    double[] out = x.toArray();
    double[] from = src.toArray();
    int[] sStrides = Shapes.contiguousStrides(ss);
    int[] xStrides = Shapes.contiguousStrides(xs);
    // the source is read at the index's own coordinates, which may be a sub-block of the source
    int[] sourceOffsets = new int[positions.length];
    forEachCoordinate(is, (p, coords) -> {
      int off = 0;
      for (int d = 0; d < coords.length; d++) {
        off += coords[d] * sStrides[d];
      }
      sourceOffsets[p] = off;
    });
    forEachOffset(is, xStrides, a, positions, (p, offset) -> {
      double v = from[sourceOffsets[p]];
      out[offset] = accumulate ? out[offset] + v : v;
    });
    return NDArray.wrap(out, x.shape(), DType.promote(x.dtype(), src.dtype()));
  }

  private static int[] shapeOf(NDArray a) {
    return a.rank() == 0 ? new int[] {1} : a.shapeRef();
  }

  private static void checkRanks(String op, String what, int[] xs, int[] is) {
    checkArgument(xs.length == is.length, "%s: index has rank %s (shape %s) but the %s has rank %s (shape %s); they "
        + "must be equal", op, is.length, Shapes.lazyFormat(is), what, xs.length, Shapes.lazyFormat(xs));
  }

  private static int[] checkedIndices(String op, NDArray index, int length, int axis) {
    double[] raw = index.toArray();
    int[] out = new int[raw.length];
    for (int i = 0; i < raw.length; i++) {
      double v = raw[i];
      checkArgument(v == Math.rint(v) && v >= 0 && v < length, "%s: index %s at flat position %s is out of range "
          + "for axis %s of length %s (need an integer in [0, %s))", op, v, i, axis, length, length);
      out[i] = (int) v;
    }
    return out;
  }

  private interface OffsetVisitor {
    void visit(int position, int offset);
  }

  private interface CoordinateVisitor {
    void visit(int position, int[] coords);
  }

  /** Visits each index position with the flat offset it addresses in an array of {@code strides}. */
  private static void forEachOffset(int[] indexShape, int[] strides, int axis, int[] positions, OffsetVisitor v) {
    forEachCoordinate(indexShape, (p, coords) -> {
      int off = 0;
      for (int d = 0; d < coords.length; d++) {
        off += (d == axis ? positions[p] : coords[d]) * strides[d];
      }
      v.visit(p, off);
    });
  }

  private static void forEachCoordinate(int[] shape, CoordinateVisitor v) {
    int n = Shapes.size(shape);
    int[] coords = new int[shape.length];
    for (int p = 0; p < n; p++) {
      v.visit(p, coords);
      for (int d = shape.length - 1; d >= 0; d--) {
        if (++coords[d] < shape[d]) {
          break;
        }
        coords[d] = 0;
      }
    }
  }
}
