package dev.autograd.array;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;

/**
 * A contiguous, mutable array with fused in-place update kernels, for optimizer state and parameter updates, where
 * allocating a fresh multi-megabyte array per step would cost more than the arithmetic. Each kernel reads and writes
 * every element once, in place.
 *
 * <p>Unlike {@link NDArray}, this type is mutable: {@link #view()} returns an {@code NDArray} that shares the buffer and
 * therefore changes with it, while {@link #snapshot()} copies. A mutable array bound to a parameter (see
 * {@code Value.mutableData()}) reports every write so that backward can detect a stale graph.
 */
public final class MutableArray {
  private final double[] data;
  private final int[] shape;
  private final Runnable onWrite;

  private MutableArray(double[] data, int[] shape, Runnable onWrite) {
    this.data = data;
    this.shape = shape;
    this.onWrite = onWrite;
  }

  /** A mutable copy of {@code a}. */
  public static MutableArray copyOf(NDArray a) {
    return copyOf(a, null);
  }

  /** A mutable copy of {@code a} that calls {@code onWrite} before every in-place change. */
  public static MutableArray copyOf(NDArray a, Runnable onWrite) {
    return new MutableArray(a.toArray(), a.shape(), onWrite);
  }

  /** A zero-filled mutable array. */
  public static MutableArray zeros(int... shape) {
    int[] s = Shapes.checkedCopy("MutableArray.zeros", shape);
    return new MutableArray(new double[Shapes.size(s)], s, null);
  }

  public int[] shape() {
    return shape.clone();
  }

  public int size() {
    return data.length;
  }

  /** An NDArray sharing this buffer: it reflects later in-place changes. */
  public NDArray view() {
    return NDArray.wrap(data, shape);
  }

  /** An independent copy of the current contents. */
  public NDArray snapshot() {
    return NDArray.wrap(data.clone(), shape.clone());
  }

  /** this ← alpha·this. */
  public MutableArray scale(double alpha) {
    written();
    for (int i = 0; i < data.length; i++) {
      data[i] *= alpha;
    }
    return this;
  }

  /** this ← alpha·this + beta·x. */
  public MutableArray scaleAdd(double alpha, double beta, NDArray x) {
    double[] xd = operand("scaleAdd", x);
    int xo = x.offset();
    written();
    for (int i = 0; i < data.length; i++) {
      data[i] = alpha * data[i] + beta * xd[xo + i];
    }
    return this;
  }

  /** this ← alpha·this + beta·x·y (elementwise; e.g. a running average of squared gradients). */
  public MutableArray addProduct(double alpha, double beta, NDArray x, NDArray y) {
    double[] xd = operand("addProduct", x);
    double[] yd = operand("addProduct", y);
    int xo = x.offset();
    int yo = y.offset();
    written();
    for (int i = 0; i < data.length; i++) {
      data[i] = alpha * data[i] + beta * xd[xo + i] * yd[yo + i];
    }
    return this;
  }

  /** this ← this + value·num / (denScale·√den + eps) (Adam's and RMSProp's step). */
  public MutableArray addRatio(double value, NDArray num, NDArray den, double denScale, double eps) {
    double[] nd = operand("addRatio", num);
    double[] dd = operand("addRatio", den);
    int no = num.offset();
    int dof = den.offset();
    written();
    for (int i = 0; i < data.length; i++) {
      data[i] += value * nd[no + i] / (denScale * Math.sqrt(dd[dof + i]) + eps);
    }
    return this;
  }

  /** Copies {@code x} into this array. */
  public MutableArray set(NDArray x) {
    double[] xd = operand("set", x);
    written();
    System.arraycopy(xd, x.offset(), data, 0, data.length);
    return this;
  }

  private double[] operand(String op, NDArray x) {
    checkArgument(Arrays.equals(x.shapeRef(), shape), "MutableArray.%s: operand shape %s differs from %s", op,
        Shapes.lazyFormat(x.shapeRef()), Shapes.lazyFormat(shape));
    checkArgument(x.isContiguous(), "MutableArray.%s: operands must be contiguous", op);
    return x.buffer();
  }

  private void written() {
    if (onWrite != null) {
      onWrite.run();
    }
  }
}
