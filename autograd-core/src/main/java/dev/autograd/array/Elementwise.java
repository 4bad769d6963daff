package dev.autograd.array;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/** Broadcasting elementwise kernels behind {@link NDArray}'s arithmetic. */
final class Elementwise {
  private Elementwise() {}

  static NDArray binary(String name, BinaryOp op, NDArray a, NDArray b) {
    if (a.rank() == 0 && b.rank() == 0) { // scalar graphs (micrograd style): skip all shape machinery
      double[] out = new double[1];
      op.row(a.buffer(), a.offset(), 0, b.buffer(), b.offset(), 0, out, 0, 1);
      return NDArray.wrap(out, Shapes.SCALAR);
    }
    int[] outShape = Shapes.broadcast(name, a.shapeRef(), b.shapeRef());
    int size = Shapes.size(outShape);
    double[] out = new double[size];
    boolean sameLayout = a.sameShape(b) && a.isContiguous() && b.isContiguous();
    if (sameLayout && (long) size * op.cost < Parallel.MIN_PARALLEL_WORK) {
      // the common small case (scalars, same-shape tensors): one row, no iteration plan
      op.row(a.buffer(), a.offset(), 1, b.buffer(), b.offset(), 1, out, 0, size);
      return NDArray.wrap(out, outShape);
    }
    if ((long) size * op.cost < Parallel.MIN_PARALLEL_WORK && a.isContiguous() && b.isContiguous()) {
      // a bias over a batch (one operand's shape is the other's trailing axes): rows without an iteration plan, the
      // inner operand starting over at every row
      boolean bInner = Arrays.equals(outShape, a.shapeRef()) && isTrailing(b.shapeRef(), outShape);
      boolean aInner = !bInner && Arrays.equals(outShape, b.shapeRef()) && isTrailing(a.shapeRef(), outShape);
      if (aInner || bInner) {
        int n = bInner ? b.size() : a.size();
        for (int at = 0; at < size; at += n) {
          op.row(a.buffer(), a.offset() + (aInner ? 0 : at), 1, b.buffer(), b.offset() + (bInner ? 0 : at), 1, out,
              at, n);
        }
        return NDArray.wrap(out, outShape);
      }
    }
    StridedLoop loop = binaryLoop(outShape, a, b);
    int as = loop.innerStride(1);
    int bs = loop.innerStride(2);
    double[] ad = a.buffer();
    double[] bd = b.buffer();
    loop.forEachRow(op.cost, (off, n) -> op.row(ad, off[1], as, bd, off[2], bs, out, off[0], n));
    return NDArray.wrap(out, outShape);
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

  static NDArray unary(UnaryOp op, double p, double q, NDArray a) {
    int[] shape = a.shapeRef();
    int size = a.size();
    double[] out = new double[size];
    if (a.isContiguous() && (long) size * op.cost < Parallel.MIN_PARALLEL_WORK) {
      op.row(p, q, a.buffer(), a.offset(), 1, out, 0, size);
      return NDArray.wrap(out, shape);
    }
    StridedLoop loop = new StridedLoop(shape,
        new int[][] {Shapes.contiguousStrides(shape), a.broadcastStrides(shape)}, new int[] {0, a.offset()});
    int as = loop.innerStride(1);
    double[] ad = a.buffer();
    loop.forEachRow(op.cost, (off, n) -> op.row(p, q, ad, off[1], as, out, off[0], n));
    return NDArray.wrap(out, shape);
  }

  /**
   * {@code f} applied to every element: the kernel of pointwise ops defined by their scalar function alone. A call per
   * element (the JIT cannot inline {@code f} into a loop shared by many ops), so meant for ops whose function costs
   * far more than a call: transcendental and rounding functions.
   */
  static NDArray map(DoubleUnaryOperator f, NDArray a) {
    int[] shape = a.shapeRef();
    double[] out = new double[a.size()];
    StridedLoop loop = new StridedLoop(shape,
        new int[][] {Shapes.contiguousStrides(shape), a.broadcastStrides(shape)}, new int[] {0, a.offset()});
    int as = loop.innerStride(1);
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
