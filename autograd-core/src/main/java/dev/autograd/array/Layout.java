package dev.autograd.array;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;

/**
 * Copying shape operations (padding, gathering, scattering, concatenation) and text formatting. Each views its
 * operands as {@code [outer, axis, inner]} blocks of a contiguous buffer, so the copies are runs of
 * {@link System#arraycopy}.
 */
final class Layout {
  private static final int EDGE_ITEMS = 3;
  private static final int MAX_FULL = 8;

  private Layout() {}

  /** A zero array of {@code shape} with {@code x} placed from position {@code at} along {@code axis}. */
  static NDArray place(NDArray x, int[] shape, int axis, int at) {
    NDArray c = x.contiguous();
    int[] xs = c.shapeRef();
    int outer = Reductions.prod(xs, 0, axis);
    int inner = Reductions.prod(xs, axis + 1, xs.length);
    int chunk = xs[axis] * inner;
    int outChunk = shape[axis] * inner;
    Object out = NDArray.allocate(c.dtype(), Shapes.size(shape));
    for (int o = 0; o < outer; o++) {
      System.arraycopy(c.storage(), c.offset() + o * chunk, out, o * outChunk + at * inner, chunk);
    }
    return NDArray.wrapStorage(out, shape);
  }

  /**
   * {@code out[at + t] = src[from + t·stride]} for t in [0, n), on a {@code double[]} or {@code float[]} pair (the
   * strided copy behind staged kernel rows and im2col's strided windows).
   */
  static void copyStrided(Object src, int from, int stride, Object out, int at, int n) {
    if (src instanceof double[] s) {
      double[] o = (double[]) out;
      for (int t = 0; t < n; t++) {
        o[at + t] = s[from + t * stride];
      }
    } else {
      float[] s = (float[]) src;
      float[] o = (float[]) out;
      for (int t = 0; t < n; t++) {
        o[at + t] = s[from + t * stride];
      }
    }
  }

  static NDArray indexSelect(NDArray x, int axis, int[] indices) {
    int[] xs = x.shapeRef();
    checkIndices("indexSelect", indices, xs[axis], axis, xs);
    NDArray c = x.contiguous();
    int outer = Reductions.prod(xs, 0, axis);
    int inner = Reductions.prod(xs, axis + 1, xs.length);
    int[] shape = xs.clone();
    shape[axis] = indices.length;
    Object out = NDArray.allocate(c.dtype(), Shapes.size(shape));
    for (int o = 0; o < outer; o++) {
      for (int j = 0; j < indices.length; j++) {
        System.arraycopy(c.storage(), c.offset() + (o * xs[axis] + indices[j]) * inner, out,
            (o * indices.length + j) * inner, inner);
      }
    }
    return NDArray.wrapStorage(out, shape);
  }

  static NDArray indexAdd(NDArray target, int axis, int[] indices, NDArray source) {
    int[] ts = target.shapeRef();
    int[] ss = source.shapeRef();
    checkIndices("indexAdd", indices, ts[axis], axis, ts);
    int[] expected = ts.clone();
    expected[axis] = indices.length;
    checkArgument(Arrays.equals(expected, ss),
        "indexAdd: source shape %s does not match %s (target shape %s with axis %s replaced by %s indices)",
        Shapes.lazyFormat(ss), Shapes.lazyFormat(expected), Shapes.lazyFormat(ts), axis, indices.length);
    DType dtype = DType.promote(target.dtype(), source.dtype());
    double[] out = target.toArray(); // accumulated in double, rounded once
    NDArray s = source.contiguous().to(DType.FLOAT64);
    double[] sd = s.buffer();
    int outer = Reductions.prod(ts, 0, axis);
    int inner = Reductions.prod(ts, axis + 1, ts.length);
    for (int o = 0; o < outer; o++) {
      for (int j = 0; j < indices.length; j++) {
        int dst = (o * ts[axis] + indices[j]) * inner;
        int src = s.offset() + (o * indices.length + j) * inner;
        for (int i = 0; i < inner; i++) {
          out[dst + i] += sd[src + i];
        }
      }
    }
    return NDArray.wrap(out, ts.clone(), dtype);
  }

  private static void checkIndices(String op, int[] indices, int length, int axis, int[] shape) {
    for (int i : indices) {
      if (i < 0 || i >= length) { // not checkArgument: its five message arguments would be boxed per index
        throw new IllegalArgumentException(String.format(
            "%s: index %s out of range for axis %s of length %s (shape %s)", op, i, axis, length, Shapes.format(shape)));
      }
    }
  }

  static NDArray concat(int axis, NDArray... arrays) {
    checkArgument(arrays.length > 0, "concat: need at least one array");
    int[] first = arrays[0].shapeRef();
    checkArgument(first.length > 0, "concat: cannot concatenate rank-0 arrays (use stack)");
    int a = Shapes.normalizeAxis("concat", axis, first.length);
    int total = 0;
    for (int i = 0; i < arrays.length; i++) {
      int[] s = arrays[i].shapeRef();
      boolean compatible = s.length == first.length;
      for (int d = 0; compatible && d < s.length; d++) {
        compatible = d == a || s[d] == first[d];
      }
      checkArgument(compatible, "concat: array %s has shape %s, incompatible with %s along axis %s (all axes but the "
          + "joined one must match)", i, Shapes.lazyFormat(s), Shapes.lazyFormat(first), a);
      total += s[a];
    }
    int[] shape = first.clone();
    shape[a] = total;
    int outer = Reductions.prod(first, 0, a);
    int inner = Reductions.prod(first, a + 1, first.length);
    DType dtype = arrays[0].dtype();
    for (NDArray x : arrays) {
      dtype = DType.promote(dtype, x.dtype()); // as torch.cat: mixed inputs give the wider dtype
    }
    Object out = NDArray.allocate(dtype, Shapes.size(shape));
    int at = 0;
    for (NDArray x : arrays) {
      NDArray c = x.contiguous().to(dtype);
      int chunk = c.shapeRef()[a] * inner;
      for (int o = 0; o < outer; o++) {
        System.arraycopy(c.storage(), c.offset() + o * chunk, out, o * total * inner + at * inner, chunk);
      }
      at += c.shapeRef()[a];
    }
    return NDArray.wrapStorage(out, shape);
  }

  /** A float32 element prints as the shortest float that reads back the same ("0.1", not "0.10000000149011612"). */
  private static String element(NDArray x, double v) {
    return x.dtype() == DType.FLOAT32 ? Float.toString((float) v) : Double.toString(v);
  }

  static String format(NDArray x) {
    if (x.rank() == 0) {
      return element(x, x.item());
    }
    StringBuilder sb = new StringBuilder();
    appendAxis(sb, x.contiguous(), 0, new int[x.rank()]);
    return sb.toString();
  }

  private static void appendAxis(StringBuilder sb, NDArray x, int axis, int[] index) {
    int n = x.shapeRef()[axis];
    sb.append('[');
    for (int i = 0; i < n; i++) {
      if (n > MAX_FULL && i == EDGE_ITEMS) {
        sb.append("..., ");
        i = n - EDGE_ITEMS;
      }
      index[axis] = i;
      if (axis == x.rank() - 1) {
        sb.append(element(x, x.get(index)));
      } else {
        appendAxis(sb, x, axis + 1, index);
      }
      if (i < n - 1) {
        sb.append(", ");
      }
    }
    sb.append(']');
  }
}
