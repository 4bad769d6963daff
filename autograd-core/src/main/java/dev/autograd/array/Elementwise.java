package dev.autograd.array;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/** Broadcasting elementwise kernels behind {@link NDArray}'s arithmetic. */
final class Elementwise {
  private Elementwise() {}

  /** Row work of a binary kernel, with the buffers already bound: offsets and strides of a, b and the output. */
  @FunctionalInterface
  private interface BinaryRows {
    void row(int ao, int as, int bo, int bs, int oo, int n);
  }

  /**
   * {@code op} over broadcast pairs, in the result dtype of the operands ({@link DType#resultType}): float64 rows on
   * double buffers, float32 rows ({@link BinaryOp#rowF}) on float buffers.
   */
  static NDArray binary(String name, BinaryOp op, NDArray a, NDArray b) {
    if (a.rank() == 0 && b.rank() == 0 && a.dtype() == DType.FLOAT64 && b.dtype() == DType.FLOAT64) {
      // scalar graphs (micrograd style): skip all shape machinery
      double[] out = new double[1];
      op.rows(a.buffer(), a.offset(), 1, b.buffer(), b.offset(), 1, out, 0, 1);
      return NDArray.wrap(out, Shapes.SCALAR);
    }
    int[] outShape = Shapes.broadcast(name, a.shapeRef(), b.shapeRef());
    DType dtype = DType.resultType(a, b);
    NDArray x = a.to(dtype);
    NDArray y = b.to(dtype);
    Object out = NDArray.allocate(dtype, Shapes.size(outShape));
    Object xb = x.storage();
    Object yb = y.storage();
    binaryRows(op.cost, x, y, outShape, (xo, xs, yo, ys, oo, n) -> op.rows(xb, xo, xs, yb, yo, ys, out, oo, n));
    return NDArray.wrapStorage(out, outShape);
  }

  /** Splits a broadcast binary op over {@code outShape} into rows, taking the cheapest plan that fits. */
  private static void binaryRows(int cost, NDArray a, NDArray b, int[] outShape, BinaryRows rows) {
    int size = Shapes.size(outShape);
    boolean sameLayout = a.sameShape(b) && a.isContiguous() && b.isContiguous();
    if (sameLayout && (long) size * cost < Parallel.MIN_PARALLEL_WORK) {
      // the common small case (scalars, same-shape tensors): one row, no iteration plan
      rows.row(a.offset(), 1, b.offset(), 1, 0, size);
      return;
    }
    if ((long) size * cost < Parallel.MIN_PARALLEL_WORK && a.isContiguous() && b.isContiguous()) {
      // a bias over a batch (one operand's shape is the other's trailing axes): rows without an iteration plan, the
      // inner operand starting over at every row
      boolean bInner = Arrays.equals(outShape, a.shapeRef()) && isTrailing(b.shapeRef(), outShape);
      boolean aInner = !bInner && Arrays.equals(outShape, b.shapeRef()) && isTrailing(a.shapeRef(), outShape);
      if (aInner || bInner) {
        int n = bInner ? b.size() : a.size();
        for (int at = 0; at < size; at += n) {
          rows.row(a.offset() + (aInner ? 0 : at), 1, b.offset() + (bInner ? 0 : at), 1, at, n);
        }
        return;
      }
    }
    StridedLoop loop = binaryLoop(outShape, a, b);
    int as = loop.innerStride(1);
    int bs = loop.innerStride(2);
    loop.forEachRow(cost, (off, n) -> rows.row(off[1], as, off[2], bs, off[0], n));
  }

  /** Rows of the output with both operands broadcast to its shape (operand 0 is the output, 1 and 2 the inputs). */
  private static StridedLoop binaryLoop(int[] outShape, NDArray a, NDArray b) {
    return new StridedLoop(outShape,
        new int[][] {Shapes.contiguousStrides(outShape), a.broadcastStrides(outShape), b.broadcastStrides(outShape)},
        new int[] {0, a.offset(), b.offset()});
  }

  /**
   * Whether {@code inner} is exactly the last axes of {@code shape} and has more than one element (a scalar is
   * better broadcast by the strided loop, as one row with stride 0).
   */
  private static boolean isTrailing(int[] inner, int[] shape) {
    int lead = shape.length - inner.length;
    if (lead < 0 || Shapes.size(inner) < 2) {
      return false;
    }
    for (int i = 0; i < inner.length; i++) {
      if (inner[i] != shape[lead + i]) {
        return false;
      }
    }
    return true;
  }

  /** A unary op in the operand's dtype. */
  static NDArray unary(UnaryOp op, double p, double q, NDArray a) {
    int[] shape = a.shapeRef();
    int size = a.size();
    boolean oneRow = a.isContiguous() && (long) size * op.cost < Parallel.MIN_PARALLEL_WORK;
    StridedLoop loop = oneRow ? null : new StridedLoop(shape,
        new int[][] {Shapes.contiguousStrides(shape), a.broadcastStrides(shape)}, new int[] {0, a.offset()});
    int as = oneRow ? 1 : loop.innerStride(1);
    Object out = NDArray.allocate(a.dtype(), size);
    Object ab = a.storage();
    if (oneRow) {
      op.rows(p, q, ab, a.offset(), 1, out, 0, size);
    } else {
      loop.forEachRow(op.cost, (off, n) -> op.rows(p, q, ab, off[1], as, out, off[0], n));
    }
    return NDArray.wrapStorage(out, shape);
  }

  /**
   * {@code f} applied to every element: the kernel of pointwise ops defined by their scalar function alone. A call per
   * element (the JIT cannot inline {@code f} into a loop shared by many ops), so meant for ops whose function costs
   * far more than a call: transcendental and rounding functions.
   */
  static NDArray map(DoubleUnaryOperator f, NDArray a) {
    int[] shape = a.shapeRef();
    StridedLoop loop = new StridedLoop(shape,
        new int[][] {Shapes.contiguousStrides(shape), a.broadcastStrides(shape)}, new int[] {0, a.offset()});
    int as = loop.innerStride(1);
    if (a.dtype() == DType.FLOAT32) { // f on the widened element, rounded once
      float[] out = new float[a.size()];
      float[] af = a.floatBuffer();
      loop.forEachRow(MAP_COST, (off, n) -> {
        for (int i = 0; i < n; i++) {
          out[off[0] + i] = (float) f.applyAsDouble(af[off[1] + i * as]);
        }
      });
      return NDArray.wrap(out, shape);
    }
    double[] out = new double[a.size()];
    double[] ad = a.buffer();
    loop.forEachRow(MAP_COST, (off, n) -> {
      for (int i = 0; i < n; i++) {
        out[off[0] + i] = f.applyAsDouble(ad[off[1] + i * as]);
      }
    });
    return NDArray.wrap(out, shape);
  }

  /** {@code f} applied to broadcast pairs of elements (see {@link #map}). */
  static NDArray map(String name, DoubleBinaryOperator f, NDArray a, NDArray b) {
    int[] outShape = Shapes.broadcast(name, a.shapeRef(), b.shapeRef());
    DType dtype = DType.resultType(a, b);
    if (dtype == DType.FLOAT32) { // rare (transcendental binary ops): widened operands, one rounding
      return map(name, f, a.to(DType.FLOAT64), b.to(DType.FLOAT64)).to(DType.FLOAT32);
    }
    a = a.to(DType.FLOAT64);
    b = b.to(DType.FLOAT64);
    double[] out = new double[Shapes.size(outShape)];
    StridedLoop loop = binaryLoop(outShape, a, b);
    int as = loop.innerStride(1);
    int bs = loop.innerStride(2);
    double[] ad = a.buffer();
    double[] bd = b.buffer();
    loop.forEachRow(MAP_COST, (off, n) -> {
      for (int i = 0; i < n; i++) {
        out[off[0] + i] = f.applyAsDouble(ad[off[1] + i * as], bd[off[2] + i * bs]);
      }
    });
    return NDArray.wrap(out, outShape);
  }

  /** Relative cost per element of a mapped function, for the parallel split (as UnaryOp's transcendental ones). */
  private static final int MAP_COST = 8;

  /** cond ≠ 0 ? a : b, all three broadcast together. */
  static NDArray where(NDArray cond, NDArray a, NDArray b) {
    int[] outShape = Shapes.broadcast("where", Shapes.broadcast("where", cond.shapeRef(), a.shapeRef()), b.shapeRef());
    DType dtype = DType.resultType(a, b); // the condition is a mask: its dtype does not matter
    if (dtype == DType.FLOAT32) {
      return where(cond.to(DType.FLOAT64), a.to(DType.FLOAT64), b.to(DType.FLOAT64)).to(DType.FLOAT32);
    }
    cond = cond.to(DType.FLOAT64);
    a = a.to(DType.FLOAT64);
    b = b.to(DType.FLOAT64);
    double[] out = new double[Shapes.size(outShape)];
    StridedLoop loop = new StridedLoop(outShape,
        new int[][] {Shapes.contiguousStrides(outShape), cond.broadcastStrides(outShape),
            a.broadcastStrides(outShape), b.broadcastStrides(outShape)},
        new int[] {0, cond.offset(), a.offset(), b.offset()});
    int cs = loop.innerStride(1);
    int as = loop.innerStride(2);
    int bs = loop.innerStride(3);
    double[] cd = cond.buffer();
    double[] ad = a.buffer();
    double[] bd = b.buffer();
    loop.forEachRow(1, (off, n) -> {
      for (int i = 0; i < n; i++) {
        out[off[0] + i] = cd[off[1] + i * cs] != 0.0 ? ad[off[2] + i * as] : bd[off[3] + i * bs];
      }
    });
    return NDArray.wrap(out, outShape);
  }
}
