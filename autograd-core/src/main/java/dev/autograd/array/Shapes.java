package dev.autograd.array;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;

/**
 * Shape arithmetic shared by the array kernels and the differentiable graph: sizes, row-major strides, NumPy
 * broadcasting and axis normalisation. Every check names the operation it guards so that a user sees which call
 * went wrong.
 */
public final class Shapes {
  static final int[] SCALAR = new int[0];

  private Shapes() {}

  /** Number of elements of {@code shape} (1 for rank 0). */
  public static int size(int[] shape) {
    return size("shape", shape);
  }

  /**
   * The most elements one array may hold: Java arrays are indexed by int, and HotSpot refuses the last few indices
   * ({@code new double[Integer.MAX_VALUE]} throws "Requested array size exceeds VM limit").
   */
  public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

  /**
   * The number of elements of {@code shape}, checked: a product past {@link #MAX_ELEMENTS} is an error naming
   * {@code op}, never a wrapped-around count (65536⁴ wraps to 0 even in a long).
   */
  static int size(String op, int[] shape) {
    long n = 1;
    boolean tooLarge = false;
    for (int d : shape) {
      if (d == 0) {
        return 0;
      }
      if (d < 0) { // not checkArgument: this runs for every array, and the message needs the shape
        throw new IllegalArgumentException(op + ": shape " + format(shape) + " has a negative dimension");
      }
      tooLarge |= n > MAX_ELEMENTS / d;
      n = tooLarge ? n : n * d;
    }
    if (tooLarge) {
      throw new IllegalArgumentException(op + ": shape " + format(shape) + " has " + exactCount(shape)
          + " elements, more than an array can hold (" + MAX_ELEMENTS + ")");
    }
    return (int) n;
  }

  private static String exactCount(int[] shape) {
    java.math.BigInteger n = java.math.BigInteger.ONE;
    for (int d : shape) {
      n = n.multiply(java.math.BigInteger.valueOf(d));
    }
    return n.toString();
  }

  static int[] checkedCopy(String op, int[] shape) {
    size(op, shape);
    return shape.length == 0 ? SCALAR : shape.clone();
  }

  /** Row-major (C order) strides for a contiguous array of {@code shape}. */
  static int[] contiguousStrides(int[] shape) {
    if (shape.length == 0) {
      return SCALAR;
    }
    int[] strides = new int[shape.length];
    int s = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      strides[i] = s;
      s *= Math.max(shape[i], 1);
    }
    return strides;
  }

  /**
   * The NumPy broadcast of two shapes: align trailing dimensions; each pair must be equal or contain a 1.
   *
   * @throws IllegalArgumentException naming {@code op} and both shapes when they are incompatible
   */
  public static int[] broadcast(String op, int[] a, int[] b) {
    if (a == b || Arrays.equals(a, b)) {
      return a;
    }
    int rank = Math.max(a.length, b.length);
    int[] out = new int[rank];
    for (int i = 0; i < rank; i++) {
      int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
      int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
      if (da != db && da != 1 && db != 1) { // not checkArgument: six message arguments would be boxed every time
        throw new IllegalArgumentException(String.format(
            "%s: shapes %s and %s cannot be broadcast together (dimension %s: %s vs %s; each pair must be equal or 1)",
            op, format(a), format(b), i, da, db));
      }
      out[i] = da == 1 ? db : da;
    }
    size(op, out); // the broadcast shape may hold more than an array can
    return out;
  }

  /** True when {@code from} broadcasts to exactly {@code to}. */
  public static boolean broadcastsTo(int[] from, int[] to) {
    if (from.length > to.length) {
      return false;
    }
    int lead = to.length - from.length;
    for (int i = 0; i < from.length; i++) {
      if (from[i] != 1 && from[i] != to[lead + i]) {
        return false;
      }
    }
    return true;
  }

  /** Maps a possibly negative axis (Python style, -1 is the last) into {@code [0, rank)}. */
  public static int normalizeAxis(String op, int axis, int rank) {
    if (axis < -rank || axis >= rank) { // not checkArgument: its five message arguments would be boxed every call
      throw new IllegalArgumentException(String.format(
          "%s: axis %s is out of range for an array of rank %s (expected %s..%s)", op, axis, rank, -rank, rank - 1));
    }
    return axis < 0 ? axis + rank : axis;
  }

  /**
   * Normalises and sorts a set of axes; an empty array means every axis.
   *
   * @throws IllegalArgumentException for an axis out of range or given twice
   */
  public static int[] normalizeAxes(String op, int[] axes, int rank) {
    if (axes.length == 0) {
      int[] all = new int[rank];
      Arrays.setAll(all, i -> i);
      return all;
    }
    int[] out = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      out[i] = normalizeAxis(op, axes[i], rank);
    }
    Arrays.sort(out);
    for (int i = 1; i < out.length; i++) {
      checkArgument(out[i] != out[i - 1], "%s: axis %s given twice in %s", op, out[i], Shapes.lazyFormat(axes));
    }
    return out;
  }

  /** {@code shape} with a length-1 axis inserted at {@code axis} (already normalised to [0, rank]). */
  public static int[] unsqueezed(int[] shape, int axis) {
    int[] out = new int[shape.length + 1];
    for (int i = 0, j = 0; i < out.length; i++) {
      out[i] = i == axis ? 1 : shape[j++];
    }
    return out;
  }

  /** The shape left after reducing {@code axes} (sorted, normalised), with or without the kept size-1 axes. */
  public static int[] reducedShape(int[] shape, int[] axes, boolean keepDims) {
    boolean[] reduced = new boolean[shape.length];
    for (int a : axes) {
      reduced[a] = true;
    }
    int[] out = new int[keepDims ? shape.length : shape.length - axes.length];
    int j = 0;
    for (int i = 0; i < shape.length; i++) {
      if (!reduced[i]) {
        out[j++] = shape[i];
      } else if (keepDims) {
        out[j++] = 1;
      }
    }
    return out;
  }

  /** {@code [2, 3]} style rendering used in every error message. */
  public static String format(int[] shape) {
    return Arrays.toString(shape);
  }

  /**
   * {@link #format} deferred until the result is printed. Precondition checks take their message arguments as
   * objects and print them only on failure, so passing this instead of a string keeps formatting off the hot path
   * (shapes are checked on every array an op creates).
   */
  public static Object lazyFormat(int[] shape) {
    return new Object() {
      @Override
      public String toString() {
        return format(shape);
      }
    };
  }
}
