package dev.autograd.array;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.random.RandomGenerator;

/**
 * An immutable n-dimensional array of numbers: a flat buffer plus shape, strides and offset, in row-major (C) order.
 * The buffer is a {@code double[]} ({@link DType#FLOAT64}, the default) or a {@code float[]} ({@link DType#FLOAT32});
 * see {@link DType} for how the two mix. Methods that take or return Java {@code double}s (element access,
 * constants) convert at the boundary.
 *
 * <p>Arithmetic follows NumPy: binary operations broadcast (trailing axes aligned, each pair equal or 1), reductions
 * take any set of axes with or without {@code keepDims}, and negative axes count from the end. Shape operations
 * ({@link #reshape}, {@link #permute}, {@link #transpose()}, {@link #slice}, {@link #broadcastTo}) return views that
 * share the buffer; since no method mutates an array, sharing is never observable.
 *
 * <p>Every operation that gets incompatible input throws {@link IllegalArgumentException} naming the operation, the
 * shapes or values involved and what was expected.
 */
public final class NDArray {
  /** The float64 buffer, or null for a float32 array. */
  private final double[] data;
  /** The float32 buffer, or null for a float64 array. */
  private final float[] floats;
  private final int offset;
  private final int[] shape;
  private final int[] strides;
  private final int size;

  private NDArray(double[] data, float[] floats, int offset, int[] shape, int[] strides) {
    this.data = data;
    this.floats = floats;
    this.offset = offset;
    this.shape = shape;
    this.strides = strides;
    this.size = Shapes.size(shape);
  }

  /** Takes ownership of a contiguous buffer (no copy). Kernels only: the caller must not touch it afterwards. */
  static NDArray wrap(double[] data, int[] shape) {
    return new NDArray(data, null, 0, shape, Shapes.contiguousStrides(shape));
  }

  /** Takes ownership of a contiguous float32 buffer (no copy). Kernels only. */
  static NDArray wrap(float[] data, int[] shape) {
    return new NDArray(null, data, 0, shape, Shapes.contiguousStrides(shape));
  }

  /** A kernel's double result stored as {@code dtype}: wrapped as it is, or rounded into a float32 buffer. */
  static NDArray wrap(double[] data, int[] shape, DType dtype) {
    return dtype == DType.FLOAT64 ? wrap(data, shape) : wrap(Conversions.toFloats(data, 0, data.length), shape);
  }

  /** A view of this array's buffer with other geometry. */
  private NDArray view(int newOffset, int[] newShape, int[] newStrides) {
    return new NDArray(data, floats, newOffset, newShape, newStrides);
  }

  // ---------------------------------------------------------------- creation

  /** A rank-0 array holding {@code value}. */
  public static NDArray scalar(double value) {
    return new NDArray(new double[] {value}, null, 0, Shapes.SCALAR, Shapes.SCALAR);
  }

  /** A rank-0 array of {@code dtype} holding {@code value} (rounded to float32 if need be). */
  public static NDArray scalar(double value, DType dtype) {
    return dtype == DType.FLOAT64 ? scalar(value)
        : new NDArray(null, new float[] {(float) value}, 0, Shapes.SCALAR, Shapes.SCALAR);
  }

  /**
   * A 1-d array of {@code dtype} holding the given values (rounded to float32 if need be). There is no
   * {@code of(float...)}: Java would pick it for integer literals, silently making {@code of(1, 2, 3)} float32.
   */
  public static NDArray of(DType dtype, double... values) {
    return of(values).to(dtype);
  }

  /** A 1-d array of the given values (copied). */
  public static NDArray of(double... values) {
    checkNotNull(values, "values");
    return wrap(values.clone(), new int[] {values.length});
  }

  /** A 2-d array from rows of equal length (copied). */
  public static NDArray of(double[][] rows) {
    checkNotNull(rows, "rows");
    int cols = rows.length == 0 ? 0 : rows[0].length;
    double[] flat = new double[rows.length * cols];
    for (int r = 0; r < rows.length; r++) {
      checkArgument(rows[r].length == cols, "NDArray.of: row %s has %s values, expected %s like row 0", r,
          rows[r].length, cols);
      System.arraycopy(rows[r], 0, flat, r * cols, cols);
    }
    return wrap(flat, new int[] {rows.length, cols});
  }

  /** An array of {@code shape} filled row-major from {@code values} (copied). */
  public static NDArray fromFlat(double[] values, int... shape) {
    int[] s = Shapes.checkedCopy("fromFlat", shape);
    checkArgument(values.length == Shapes.size(s), "fromFlat: %s values cannot fill shape %s (%s elements)",
        values.length, Shapes.lazyFormat(s), Shapes.size(s));
    return wrap(values.clone(), s);
  }

  /** A float32 array of {@code shape} filled row-major from {@code values} (copied). */
  public static NDArray fromFlat(float[] values, int... shape) {
    int[] s = Shapes.checkedCopy("fromFlat", shape);
    checkArgument(values.length == Shapes.size(s), "fromFlat: %s values cannot fill shape %s (%s elements)",
        values.length, Shapes.lazyFormat(s), Shapes.size(s));
    return wrap(values.clone(), s);
  }

  public static NDArray zeros(int... shape) {
    int[] s = Shapes.checkedCopy("zeros", shape);
    return wrap(new double[Shapes.size(s)], s);
  }

  /** Zeros of {@code dtype}. */
  public static NDArray zeros(DType dtype, int... shape) {
    int[] s = Shapes.checkedCopy("zeros", shape);
    return dtype == DType.FLOAT64 ? wrap(new double[Shapes.size(s)], s) : wrap(new float[Shapes.size(s)], s);
  }

  public static NDArray ones(int... shape) {
    return full(1.0, shape);
  }

  /** Ones of {@code dtype}. */
  public static NDArray ones(DType dtype, int... shape) {
    return full(dtype, 1.0, shape);
  }

  /** An array of {@code dtype} and {@code shape} with every element {@code value} (rounded to float32 if need be). */
  public static NDArray full(DType dtype, double value, int... shape) {
    if (dtype == DType.FLOAT64) {
      return full(value, shape);
    }
    int[] s = Shapes.checkedCopy("full", shape);
    float[] d = new float[Shapes.size(s)];
    Arrays.fill(d, (float) value);
    return wrap(d, s);
  }

  /** An array of {@code shape} with every element {@code value}. */
  public static NDArray full(double value, int... shape) {
    int[] s = Shapes.checkedCopy("full", shape);
    double[] d = new double[Shapes.size(s)];
    Arrays.fill(d, value);
    return wrap(d, s);
  }

  /** 0, 1, ..., n-1. */
  public static NDArray arange(int n) {
    return arange(0, n, 1);
  }

  /** start, start+step, ... while below {@code stop} (above, for a negative step). */
  public static NDArray arange(double start, double stop, double step) {
    checkArgument(step != 0 && Double.isFinite(step) && Double.isFinite(start) && Double.isFinite(stop),
        "arange: start, stop and step must be finite and step non-zero, got (%s, %s, %s)", start, stop, step);
    double count = Math.max(0, Math.ceil((stop - start) / step));
    checkArgument(count <= Shapes.MAX_ELEMENTS, "arange: (%s, %s, %s) has %s elements, more than an array can hold "
        + "(%s)", start, stop, step, (long) count, Shapes.MAX_ELEMENTS);
    int n = (int) count;
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = start + i * step;
    }
    return wrap(d, new int[] {n});
  }

  /** The n × n identity matrix. */
  public static NDArray eye(int n) {
    checkArgument(n >= 0, "eye: size must be >= 0, got %s", n);
    int[] shape = Shapes.checkedCopy("eye", new int[] {n, n});
    double[] d = new double[n * n];
    for (int i = 0; i < n; i++) {
      d[i * n + i] = 1.0;
    }
    return wrap(d, shape);
  }

  /** Standard normal samples drawn from {@code rng} (seed it for reproducibility). */
  public static NDArray randn(RandomGenerator rng, int... shape) {
    int[] s = Shapes.checkedCopy("randn", shape);
    double[] d = new double[Shapes.size(s)];
    for (int i = 0; i < d.length; i++) {
      d[i] = rng.nextGaussian();
    }
    return wrap(d, s);
  }

  /** Standard normal samples of {@code dtype} drawn from {@code rng} (the float64 draws, rounded for float32). */
  public static NDArray randn(RandomGenerator rng, DType dtype, int... shape) {
    return randn(rng, shape).to(dtype);
  }

  /** Uniform samples in [0, 1). */
  public static NDArray rand(RandomGenerator rng, int... shape) {
    return uniform(rng, 0.0, 1.0, shape);
  }

  /** Uniform samples in [low, high). */
  public static NDArray uniform(RandomGenerator rng, double low, double high, int... shape) {
    checkArgument(low < high && Double.isFinite(low) && Double.isFinite(high),
        "uniform: need finite low < high, got [%s, %s)", low, high);
    int[] s = Shapes.checkedCopy("uniform", shape);
    double[] d = new double[Shapes.size(s)];
    for (int i = 0; i < d.length; i++) {
      d[i] = low + (high - low) * rng.nextDouble();
    }
    return wrap(d, s);
  }

  // ---------------------------------------------------------------- inspection

  /** The element type. */
  public DType dtype() {
    return floats == null ? DType.FLOAT64 : DType.FLOAT32;
  }

  /**
   * This array stored as {@code dtype}: itself when it already is, else a converted copy (float64 to float32 rounds
   * to nearest; float32 to float64 is exact).
   */
  public NDArray to(DType dtype) {
    checkNotNull(dtype, "dtype");
    return dtype == dtype() ? this : Conversions.convert(this, dtype);
  }

  /** Bytes of element storage this array's elements take ({@code size × dtype bytes}; views share theirs). */
  public long nbytes() {
    return (long) size * dtype().bytes();
  }

  /** A copy of the shape. */
  public int[] shape() {
    return shape.clone();
  }

  /** Length of {@code axis} (negative counts from the end). */
  public int dim(int axis) {
    return shape[Shapes.normalizeAxis("dim", axis, shape.length)];
  }

  public int rank() {
    return shape.length;
  }

  /** True when both arrays have the same shape (no copies made, unlike comparing {@link #shape()}s). */
  public boolean sameShape(NDArray other) {
    return shape == other.shape || Arrays.equals(shape, other.shape);
  }

  public int size() {
    return size;
  }

  /** The element at {@code index} (one coordinate per axis). */
  public double get(int... index) {
    checkArgument(index.length == shape.length, "get: %s indices for an array of rank %s (shape %s)", index.length,
        shape.length, Shapes.lazyFormat(shape));
    int o = offset;
    for (int i = 0; i < index.length; i++) {
      checkArgument(index[i] >= 0 && index[i] < shape[i], "get: index %s out of bounds for shape %s",
          Shapes.lazyFormat(index), Shapes.lazyFormat(shape));
      o += index[i] * strides[i];
    }
    return at(o);
  }

  /** The element at buffer position {@code o}, as a double. */
  double at(int o) {
    return data != null ? data[o] : floats[o];
  }

  /** The only element of a single-element array. */
  public double item() {
    checkArgument(size == 1, "item: only a single-element array has an item, this one has shape %s",
        Shapes.lazyFormat(shape));
    return at(offset);
  }

  /** All elements in row-major order as doubles (a fresh copy; float32 elements are widened exactly). */
  public double[] toArray() {
    NDArray c = contiguous();
    if (c.data == null) {
      return Conversions.toDoubles(c.floats, c.offset, size);
    }
    return Arrays.copyOfRange(c.data, c.offset, c.offset + size);
  }

  /** All elements in row-major order as floats (a fresh copy; float64 elements are rounded to nearest). */
  public float[] toFloatArray() {
    NDArray c = contiguous();
    if (c.floats == null) {
      return Conversions.toFloats(c.data, c.offset, size);
    }
    return Arrays.copyOfRange(c.floats, c.offset, c.offset + size);
  }

  /** A rank-2 array as rows (fresh copies). */
  public double[][] toArray2D() {
    checkArgument(shape.length == 2, "toArray2D: need rank 2, got shape %s", Shapes.lazyFormat(shape));
    double[] flat = toArray();
    double[][] rows = new double[shape[0]][];
    for (int r = 0; r < rows.length; r++) {
      rows[r] = Arrays.copyOfRange(flat, r * shape[1], (r + 1) * shape[1]);
    }
    return rows;
  }

  /** True when the elements are laid out densely in row-major order (then most kernels take a fast path). */
  public boolean isContiguous() {
    if (shape.length == 0) {
      return true;
    }
    int expected = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      if (shape[i] != 1 && strides[i] != expected) {
        return false;
      }
      expected *= shape[i];
    }
    return true;
  }

  /** True if every element is finite (no NaN or infinity). */
  public boolean allFinite() {
    NDArray c = contiguous();
    java.util.concurrent.atomic.AtomicBoolean finite = new java.util.concurrent.atomic.AtomicBoolean(true);
    Parallel.forRange(size, size, (from, to) -> {
      if (c.data != null ? !finite(c.data, c.offset + from, c.offset + to)
          : !finite(c.floats, c.offset + from, c.offset + to)) {
        finite.set(false);
      }
    });
    return finite.get();
  }

  /**
   * Whether {@code d[from .. to)} holds no NaN or infinity, without a branch per element (this check runs on every
   * backward seed): adding one to the exponent field carries into the sign bit exactly when the exponent is all
   * ones, so an OR over the elements is negative when one of them is not finite.
   */
  private static boolean finite(double[] d, int from, int to) {
    final long exponent = 0x7FF0_0000_0000_0000L;
    final long exponentOne = 0x0010_0000_0000_0000L;
    long acc = 0;
    for (int i = from; i < to; i++) {
      acc |= (Double.doubleToRawLongBits(d[i]) & exponent) + exponentOne;
    }
    return acc >= 0;
  }

  /** The float32 spelling of {@link #finite(double[], int, int)}. */
  private static boolean finite(float[] d, int from, int to) {
    final int exponent = 0x7F80_0000;
    final int exponentOne = 0x0080_0000;
    int acc = 0;
    for (int i = from; i < to; i++) {
      acc |= (Float.floatToRawIntBits(d[i]) & exponent) + exponentOne;
    }
    return acc >= 0;
  }

  /** Same shape, and |a - b| ≤ atol + rtol·|b| elementwise (NaNs compare equal to NaNs). */
  public boolean allClose(NDArray other, double rtol, double atol) {
    if (!Arrays.equals(shape, other.shape)) {
      return false;
    }
    double[] a = toArray();
    double[] b = other.toArray();
    for (int i = 0; i < a.length; i++) {
      boolean bothNaN = Double.isNaN(a[i]) && Double.isNaN(b[i]);
      if (!bothNaN && !(Math.abs(a[i] - b[i]) <= atol + rtol * Math.abs(b[i])) && a[i] != b[i]) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- elementwise

  public NDArray add(NDArray other) {
    return Elementwise.binary("add", BinaryOp.ADD, this, other);
  }

  public NDArray add(double c) {
    return Elementwise.unary(UnaryOp.AFFINE, 1.0, c, this);
  }

  public NDArray sub(NDArray other) {
    return Elementwise.binary("sub", BinaryOp.SUB, this, other);
  }

  public NDArray sub(double c) {
    return Elementwise.unary(UnaryOp.AFFINE, 1.0, -c, this);
  }

  public NDArray mul(NDArray other) {
    return Elementwise.binary("mul", BinaryOp.MUL, this, other);
  }

  public NDArray mul(double c) {
    return Elementwise.unary(UnaryOp.AFFINE, c, 0.0, this);
  }

  public NDArray div(NDArray other) {
    return Elementwise.binary("div", BinaryOp.DIV, this, other);
  }

  public NDArray div(double c) {
    return Elementwise.binary("div", BinaryOp.DIV, this, scalar(c, dtype()));
  }

  /** Elementwise {@code this ^ exponent}, broadcasting. */
  public NDArray pow(NDArray exponent) {
    return Elementwise.binary("pow", BinaryOp.POW, this, exponent);
  }

  public NDArray pow(double exponent) {
    return Elementwise.unary(UnaryOp.POW, exponent, 0.0, this);
  }

  public NDArray maximum(NDArray other) {
    return Elementwise.binary("maximum", BinaryOp.MAXIMUM, this, other);
  }

  public NDArray minimum(NDArray other) {
    return Elementwise.binary("minimum", BinaryOp.MINIMUM, this, other);
  }

  /** 1.0 where equal, else 0.0. */
  public NDArray eq(NDArray other) {
    return Elementwise.binary("eq", BinaryOp.EQ, this, other);
  }

  /** 1.0 where {@code this > other}, else 0.0. */
  public NDArray gt(NDArray other) {
    return Elementwise.binary("gt", BinaryOp.GT, this, other);
  }

  /** 1.0 where {@code this >= other}, else 0.0. */
  public NDArray ge(NDArray other) {
    return Elementwise.binary("ge", BinaryOp.GE, this, other);
  }

  /**
   * This array times the mask {@code of > 0}, in one pass: {@code this.mul(of.gt(0))} without the mask array (ReLU's
   * gradient). Broadcasts.
   */
  public NDArray mulPositive(NDArray of) {
    return Elementwise.binary("mulPositive", BinaryOp.MUL_POSITIVE, this, of);
  }

  /** 1.0 where {@code this < other}, else 0.0. */
  public NDArray lt(NDArray other) {
    Shapes.broadcast("lt", shape, other.shape); // composed ops check under their own name, in the caller's order
    return other.gt(this);
  }

  /** 1.0 where {@code this <= other}, else 0.0. */
  public NDArray le(NDArray other) {
    Shapes.broadcast("le", shape, other.shape);
    return other.ge(this);
  }

  public NDArray gt(double c) {
    return gt(scalar(c, dtype()));
  }

  public NDArray eq(double c) {
    return eq(scalar(c, dtype()));
  }

  /** 1.0 where not equal (NaN is unequal to everything, itself included), else 0.0. */
  public NDArray ne(NDArray other) {
    Shapes.broadcast("ne", shape, other.shape);
    return eq(other).eq(0.0);
  }

  public NDArray ne(double c) {
    return ne(scalar(c, dtype()));
  }

  /** 1.0 where both are non-zero (NaN counts as non-zero, as in NumPy), else 0.0; broadcasts. */
  public NDArray logicalAnd(NDArray other) {
    Shapes.broadcast("logicalAnd", shape, other.shape);
    return ne(0.0).mul(other.ne(0.0));
  }

  /** 1.0 where either is non-zero, else 0.0; broadcasts. */
  public NDArray logicalOr(NDArray other) {
    Shapes.broadcast("logicalOr", shape, other.shape);
    return ne(0.0).maximum(other.ne(0.0));
  }

  /** 1.0 where exactly one is non-zero, else 0.0; broadcasts. */
  public NDArray logicalXor(NDArray other) {
    Shapes.broadcast("logicalXor", shape, other.shape);
    return ne(0.0).ne(other.ne(0.0));
  }

  /** 1.0 where zero, else 0.0. */
  public NDArray logicalNot() {
    return eq(0.0);
  }

  /** 1.0 where NaN, else 0.0. */
  public NDArray isnan() {
    return map(v -> Double.isNaN(v) ? 1.0 : 0.0);
  }

  /** 1.0 where +∞ or −∞, else 0.0. */
  public NDArray isinf() {
    return map(v -> Double.isInfinite(v) ? 1.0 : 0.0);
  }

  /** 1.0 where neither NaN nor infinite, else 0.0. */
  public NDArray isfinite() {
    return map(v -> Double.isFinite(v) ? 1.0 : 0.0);
  }

  /** NaN, +∞ and −∞ replaced by the given numbers; finite elements unchanged (PyTorch's {@code nan_to_num}). */
  public NDArray nanToNum(double nan, double posInf, double negInf) {
    return map(v -> Double.isNaN(v) ? nan : v == Double.POSITIVE_INFINITY ? posInf
        : v == Double.NEGATIVE_INFINITY ? negInf : v);
  }

  /** Elementwise {@code cond != 0 ? a : b}, with all three broadcast together. */
  public static NDArray where(NDArray cond, NDArray a, NDArray b) {
    return Elementwise.where(cond, a, b);
  }

  public NDArray neg() {
    return Elementwise.unary(UnaryOp.NEG, 0, 0, this);
  }

  public NDArray exp() {
    return Elementwise.unary(UnaryOp.EXP, 0, 0, this);
  }

  public NDArray log() {
    return Elementwise.unary(UnaryOp.LOG, 0, 0, this);
  }

  public NDArray sqrt() {
    return Elementwise.unary(UnaryOp.SQRT, 0, 0, this);
  }

  public NDArray abs() {
    return Elementwise.unary(UnaryOp.ABS, 0, 0, this);
  }

  /** -1, 0 or 1 per element. */
  /** {@code f} of every element, as a new array (NumPy's {@code vectorize}). */
  public NDArray map(DoubleUnaryOperator f) {
    return Elementwise.map(checkNotNull(f, "f"), this);
  }

  /** {@code f} of every broadcast pair of elements of this array and {@code other}. */
  public NDArray map(NDArray other, DoubleBinaryOperator f) {
    return Elementwise.map("map", checkNotNull(f, "f"), this, other);
  }

  public NDArray sign() {
    return Elementwise.unary(UnaryOp.SIGN, 0, 0, this);
  }

  public NDArray tanh() {
    return Elementwise.unary(UnaryOp.TANH, 0, 0, this);
  }

  /** The logistic function, stable for large |x|. */
  public NDArray sigmoid() {
    return Elementwise.unary(UnaryOp.SIGMOID, 0, 0, this);
  }

  /** log(1 + e^x), stable for large |x|. */
  public NDArray softplus() {
    return Elementwise.unary(UnaryOp.SOFTPLUS, 0, 0, this);
  }

  public NDArray relu() {
    return Elementwise.unary(UnaryOp.RELU, 0, 0, this);
  }

  /** x for x &gt; 0, else {@code slope}·x. */
  public NDArray leakyRelu(double slope) {
    return Elementwise.unary(UnaryOp.LEAKY_RELU, slope, 0, this);
  }

  /** Each element limited to [min, max]. */
  public NDArray clamp(double min, double max) {
    checkArgument(!Double.isNaN(min) && !Double.isNaN(max) && min <= max,
        "clamp: need min <= max and neither NaN, got [%s, %s]", min, max);
    return Elementwise.unary(UnaryOp.CLAMP, min, max, this);
  }

  // ---------------------------------------------------------------- reductions

  /** Sum of all elements, as a rank-0 array. */
  public NDArray sum() {
    return sum(new int[0], false);
  }

  /** Sum over {@code axes} (empty = all axes). */
  public NDArray sum(int[] axes, boolean keepDims) {
    return Reductions.reduce("sum", ReduceOp.SUM, this, axes, keepDims);
  }

  public NDArray mean() {
    return mean(new int[0], false);
  }

  /** Mean over {@code axes} (empty = all axes). */
  public NDArray mean(int[] axes, boolean keepDims) {
    int[] ax = Shapes.normalizeAxes("mean", axes, rank());
    int count = 1;
    for (int a : ax) {
      count *= shape[a];
    }
    return sum(ax, keepDims).mul(1.0 / count);
  }

  public NDArray max() {
    return max(new int[0], false);
  }

  /** Maximum over {@code axes} (empty = all axes); NaN propagates. */
  public NDArray max(int[] axes, boolean keepDims) {
    return Reductions.reduce("max", ReduceOp.MAX, this, axes, keepDims);
  }

  public NDArray min() {
    return min(new int[0], false);
  }

  /** Minimum over {@code axes} (empty = all axes); NaN propagates. */
  public NDArray min(int[] axes, boolean keepDims) {
    return Reductions.reduce("min", ReduceOp.MIN, this, axes, keepDims);
  }

  /** Position of the maximum along {@code axis} (first on ties), as double-valued indices. */
  public NDArray argmax(int axis) {
    return Reductions.argExtremum("argmax", this, axis, false, true);
  }

  /** Position of the minimum along {@code axis} (first on ties; a NaN wins, as it does in {@link #min}). */
  public NDArray argmin(int axis) {
    return Reductions.argExtremum("argmin", this, axis, false, false);
  }

  /** Product over {@code axes} (empty = all axes); the product of nothing is 1. */
  public NDArray prod(int[] axes, boolean keepDims) {
    return Reductions.reduce("prod", ReduceOp.PROD, this, axes, keepDims);
  }

  /** 1.0 where any element over {@code axes} is non-zero (NaN counts as non-zero, as in NumPy), else 0.0; false over an empty axis. */
  public NDArray any(int[] axes, boolean keepDims) {
    return ne(0.0).sum(Shapes.normalizeAxes("any", axes, rank()), keepDims).ne(0.0);
  }

  /** 1.0 where every element over {@code axes} is non-zero, else 0.0; true over an empty axis. */
  public NDArray all(int[] axes, boolean keepDims) {
    return eq(0.0).sum(Shapes.normalizeAxes("all", axes, rank()), keepDims).eq(0.0);
  }

  // ---------------------------------------------------------------- shape

  /** The same elements in a new shape; one dimension may be -1 (inferred). A view when contiguous. */
  public NDArray reshape(int... newShape) {
    int[] s = newShape.clone();
    int infer = -1;
    int known = 1;
    for (int i = 0; i < s.length; i++) {
      if (s[i] == -1) {
        checkArgument(infer < 0, "reshape: only one dimension may be -1, got %s", Shapes.lazyFormat(newShape));
        infer = i;
      } else {
        checkArgument(s[i] >= 0, "reshape: negative dimension in %s", Shapes.lazyFormat(newShape));
        known = (int) Math.min((long) known * s[i], Integer.MAX_VALUE); // saturates: too many is a mismatch below
      }
    }
    if (infer >= 0) {
      checkArgument(known > 0 && size % known == 0, "reshape: cannot infer -1 in %s for %s elements (shape %s)",
          Shapes.lazyFormat(newShape), size, Shapes.lazyFormat(shape));
      s[infer] = size / known;
    }
    int newSize = Shapes.size("reshape", s);
    checkArgument(newSize == size, "reshape: cannot reshape %s (%s elements) into %s (%s elements)",
        Shapes.lazyFormat(shape), size, Shapes.lazyFormat(s), newSize);
    NDArray c = contiguous();
    return c.view(c.offset, s, Shapes.contiguousStrides(s));
  }

  /**
   * Running sums along {@code axis}: element i is the sum of elements 0..i, added in order (NumPy's and PyTorch's
   * {@code cumsum}). A rank-0 array is its own cumulative sum (axis 0 or -1).
   */
  public NDArray cumsum(int axis) {
    return AxisScans.alongAxis("cumsum", this, axis, AxisScans::cumsum);
  }

  /** Running products along {@code axis}, multiplied in order (PyTorch's {@code cumprod}). */
  public NDArray cumprod(int axis) {
    return AxisScans.alongAxis("cumprod", this, axis, AxisScans::cumprod);
  }

  /** Running log(Σ e^x) along {@code axis}, never overflowing or underflowing a prefix (PyTorch's logcumsumexp). */
  public NDArray logCumSumExp(int axis) {
    return AxisScans.alongAxis("logCumSumExp", this, axis, AxisScans::logCumSumExp);
  }

  /**
   * The positions that sort each line along {@code axis}, as double-valued indices. Stable (ties keep their order,
   * also descending); NaN sorts above every number, as in NumPy and PyTorch.
   */
  public NDArray argsort(int axis, boolean descending) {
    return AxisScans.alongAxis("argsort", this, axis, AxisScans.argsort(descending), DType.FLOAT64);
  }

  /**
   * PyTorch's {@code gather}: {@code index} has this array's rank, and element p of the result is the element of this
   * array at p's coordinates with the one along {@code axis} replaced by {@code index[p]}.
   */
  public NDArray gather(int axis, NDArray index) {
    return Gathers.gather(this, axis, index);
  }

  /** PyTorch's {@code scatter}: a copy with {@code src[p]} written at the position {@link #gather} would read. */
  public NDArray scatter(int axis, NDArray index, NDArray src) {
    return Gathers.scatter("scatter", this, axis, index, src, false);
  }

  /** PyTorch's {@code scatter_add}: like {@link #scatter}, but adding, so repeated positions accumulate. */
  public NDArray scatterAdd(int axis, NDArray index, NDArray src) {
    return Gathers.scatter("scatterAdd", this, axis, index, src, true);
  }

  /** Reorders axes: axis i of the result is axis {@code order[i]} of this array. A view. */
  public NDArray permute(int... order) {
    checkArgument(order.length == shape.length, "permute: order %s has %s axes, the array has rank %s (shape %s)",
        Shapes.lazyFormat(order), order.length, shape.length, Shapes.lazyFormat(shape));
    boolean[] seen = new boolean[order.length];
    int[] s = new int[order.length];
    int[] st = new int[order.length];
    for (int i = 0; i < order.length; i++) {
      int a = Shapes.normalizeAxis("permute", order[i], shape.length);
      checkArgument(!seen[a], "permute: axis %s appears twice in %s", a, Shapes.lazyFormat(order));
      seen[a] = true;
      s[i] = shape[a];
      st[i] = strides[a];
    }
    return view(offset, s, st);
  }

  /** Swaps the last two axes (the matrix transpose); needs rank ≥ 2. */
  public NDArray transpose() {
    checkArgument(shape.length >= 2, "transpose: needs rank >= 2, got shape %s", Shapes.lazyFormat(shape));
    return transpose(-2, -1);
  }

  /** Swaps two axes. */
  public NDArray transpose(int axis1, int axis2) {
    int a = Shapes.normalizeAxis("transpose", axis1, shape.length);
    int b = Shapes.normalizeAxis("transpose", axis2, shape.length);
    int[] order = new int[shape.length];
    Arrays.setAll(order, i -> i);
    order[a] = b;
    order[b] = a;
    return permute(order);
  }

  /** A view of this array broadcast to {@code target} (NumPy rules). */
  public NDArray broadcastTo(int... target) {
    int[] t = Shapes.checkedCopy("broadcastTo", target);
    checkArgument(Shapes.broadcastsTo(shape, t), "broadcastTo: shape %s cannot be broadcast to %s",
        Shapes.lazyFormat(shape), Shapes.lazyFormat(t));
    return view(offset, t, broadcastStrides(t));
  }

  /**
   * Sums over the axes that broadcasting {@code target} to this shape would have expanded, giving an array of shape
   * {@code target}. The inverse of {@link #broadcastTo} for gradients.
   */
  public NDArray sumTo(int... target) {
    checkArgument(Shapes.broadcastsTo(target, shape), "sumTo: shape %s is not a broadcast of %s",
        Shapes.lazyFormat(shape), Shapes.lazyFormat(target));
    if (Arrays.equals(target, shape)) {
      return this;
    }
    int lead = shape.length - target.length;
    int[] axes = new int[shape.length];
    int n = 0;
    for (int i = 0; i < shape.length; i++) {
      if (i < lead || (target[i - lead] == 1 && shape[i] != 1)) {
        axes[n++] = i;
      }
    }
    if (n == 0) {
      return reshape(target);
    }
    return sum(Arrays.copyOf(axes, n), true).reshape(target);
  }

  /** Elements {@code [start, end)} along {@code axis}; negative positions count from the end. A view. */
  public NDArray slice(int axis, int start, int end) {
    int a = Shapes.normalizeAxis("slice", axis, shape.length);
    int len = shape[a];
    int s = start < 0 ? start + len : start;
    int e = end < 0 ? end + len : end;
    checkArgument(s >= 0 && e <= len && s <= e, "slice: [%s, %s) is out of range for axis %s of length %s (shape %s)",
        start, end, a, len, Shapes.lazyFormat(shape));
    int[] ns = shape.clone();
    ns[a] = e - s;
    return view(offset + s * strides[a], ns, strides);
  }

  /** Zero padding: {@code before} zeros in front of and {@code after} zeros behind {@code axis}. */
  public NDArray pad(int axis, int before, int after) {
    int a = Shapes.normalizeAxis("pad", axis, shape.length);
    checkArgument(before >= 0 && after >= 0, "pad: padding must be >= 0, got (%s, %s)", before, after);
    long length = (long) shape[a] + before + after;
    checkArgument(length <= Shapes.MAX_ELEMENTS, "pad: axis %s would have %s elements, more than an array can hold",
        a, length);
    int[] ns = shape.clone();
    ns[a] = (int) length;
    Shapes.size("pad", ns);
    return Layout.place(this, ns, a, before);
  }

  /** The sub-arrays at {@code indices} along {@code axis}, in that order (indices may repeat). */
  public NDArray indexSelect(int axis, int... indices) {
    return Layout.indexSelect(this, Shapes.normalizeAxis("indexSelect", axis, shape.length), indices);
  }

  /**
   * This array plus {@code source} scattered along {@code axis}: sub-array j of source is added at position
   * {@code indices[j]}; repeated indices accumulate. The adjoint of {@link #indexSelect}.
   */
  public NDArray indexAdd(int axis, int[] indices, NDArray source) {
    return Layout.indexAdd(this, Shapes.normalizeAxis("indexAdd", axis, shape.length), indices, source);
  }

  /** Joins arrays along an existing axis; all other axes must match. */
  public static NDArray concat(int axis, NDArray... arrays) {
    return Layout.concat(axis, arrays);
  }

  /** Joins arrays of equal shape along a new axis. */
  public static NDArray stack(int axis, NDArray... arrays) {
    checkArgument(arrays.length > 0, "stack: need at least one array");
    int a = Shapes.normalizeAxis("stack", axis, arrays[0].rank() + 1);
    NDArray[] expanded = new NDArray[arrays.length];
    for (int i = 0; i < arrays.length; i++) {
      checkArgument(Arrays.equals(arrays[i].shape, arrays[0].shape), "stack: array %s has shape %s, array 0 has %s",
          i, Shapes.lazyFormat(arrays[i].shape), Shapes.lazyFormat(arrays[0].shape));
      expanded[i] = arrays[i].unsqueeze(a);
    }
    return concat(a, expanded);
  }

  /** Inserts an axis of length 1 at {@code axis}. A view. */
  public NDArray unsqueeze(int axis) {
    return reshape(Shapes.unsqueezed(shape, Shapes.normalizeAxis("unsqueeze", axis, shape.length + 1)));
  }

  /** Matrix product with NumPy {@code matmul} semantics (1-d promotion, broadcast batch axes). */
  public NDArray matmul(NDArray other) {
    return MatMul.matmul(this, other);
  }

  /**
   * {@code this · weightᵀ + bias}, PyTorch's {@code F.linear}: weight {@code [out, in]}, bias {@code [out]} or null,
   * this {@code [..., in]}. The bias is the product's starting value, so the output is written in one pass.
   */
  public NDArray linear(NDArray weight, NDArray bias) {
    return MatMul.linear(this, weight, bias);
  }

  /** This array if already contiguous, else a contiguous copy. */
  public NDArray contiguous() {
    return isContiguous() ? this : copy();
  }

  /** A fresh contiguous copy. */
  public NDArray copy() {
    return Elementwise.unary(UnaryOp.COPY, 0, 0, this);
  }

  // ---------------------------------------------------------------- kernel access (package-private)

  /** The float64 buffer; kernels without a float32 loop convert their input first (see {@link #to}). */
  double[] buffer() {
    if (data == null) {
      throw new IllegalStateException("internal: a float64 kernel was handed a float32 array of shape "
          + Shapes.format(shape));
    }
    return data;
  }

  /** The buffer, a {@code double[]} or a {@code float[]}, for kernels that only move elements (arraycopy). */
  Object storage() {
    return data != null ? data : floats;
  }

  /** A zeroed buffer of {@code n} elements of {@code dtype} (see {@link #storage()}). */
  static Object allocate(DType dtype, int n) {
    return dtype == DType.FLOAT64 ? new double[n] : new float[n];
  }

  /** Takes ownership of a contiguous buffer from {@link #allocate}. */
  static NDArray wrapStorage(Object buffer, int[] shape) {
    return buffer instanceof double[] d ? wrap(d, shape) : wrap((float[]) buffer, shape);
  }

  /** The float32 buffer. */
  float[] floatBuffer() {
    if (floats == null) {
      throw new IllegalStateException("internal: a float32 kernel was handed a float64 array of shape "
          + Shapes.format(shape));
    }
    return floats;
  }

  int offset() {
    return offset;
  }

  int[] shapeRef() {
    return shape;
  }

  int[] stridesRef() {
    return strides;
  }

  /** Strides that address this array as if broadcast to {@code target} (0 along expanded axes). */
  int[] broadcastStrides(int[] target) {
    int[] out = new int[target.length];
    int lead = target.length - shape.length;
    for (int i = 0; i < shape.length; i++) {
      out[lead + i] = shape[i] == 1 ? 0 : strides[i];
    }
    return out;
  }

  // ---------------------------------------------------------------- object

  /**
   * Equal when dtypes and shapes match and every element is equal in the sense of {@link Double#equals}: a float32
   * array never equals a float64 one, even with the same numbers (compare {@code a.to(b.dtype())} for that).
   */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof NDArray)) {
      return false;
    }
    NDArray other = (NDArray) o;
    return dtype() == other.dtype() && Arrays.equals(shape, other.shape) && Arrays.equals(toArray(), other.toArray());
  }

  @Override
  public int hashCode() {
    return 31 * (31 * dtype().ordinal() + Arrays.hashCode(shape)) + Arrays.hashCode(toArray());
  }

  /** NumPy-like text, e.g. {@code [[1.0, 2.0], [3.0, 4.0]]}; long axes are elided with "...". */
  @Override
  public String toString() {
    return Layout.format(this);
  }
}
