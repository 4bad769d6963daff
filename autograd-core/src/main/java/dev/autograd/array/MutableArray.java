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
  /** The buffer of a float64 array, else null. */
  private final double[] data;
  /** The buffer of a float32 array, else null. */
  private final float[] floats;
  private final int[] shape;
  private final Runnable onWrite;

  private MutableArray(double[] data, float[] floats, int[] shape, Runnable onWrite) {
    this.data = data;
    this.floats = floats;
    this.shape = shape;
    this.onWrite = onWrite;
  }

  /** A mutable copy of {@code a}, of its dtype. */
  public static MutableArray copyOf(NDArray a) {
    return copyOf(a, null);
  }

  /** A mutable copy of {@code a} (of its dtype) that calls {@code onWrite} before every in-place change. */
  public static MutableArray copyOf(NDArray a, Runnable onWrite) {
    return a.dtype() == DType.FLOAT64 ? new MutableArray(a.toArray(), null, a.shape(), onWrite)
        : new MutableArray(null, a.toFloatArray(), a.shape(), onWrite);
  }

  /** A zero-filled float64 mutable array. */
  public static MutableArray zeros(int... shape) {
    return zeros(DType.FLOAT64, shape);
  }

  /** A zero-filled mutable array of {@code dtype} (optimizer state lives in its parameter's dtype). */
  public static MutableArray zeros(DType dtype, int... shape) {
    int[] s = Shapes.checkedCopy("MutableArray.zeros", shape);
    int n = Shapes.size(s);
    return dtype == DType.FLOAT64 ? new MutableArray(new double[n], null, s, null)
        : new MutableArray(null, new float[n], s, null);
  }

  public int[] shape() {
    return shape.clone();
  }

  public int size() {
    return data != null ? data.length : floats.length;
  }

  public DType dtype() {
    return data != null ? DType.FLOAT64 : DType.FLOAT32;
  }

  /** An NDArray sharing this buffer: it reflects later in-place changes. */
  public NDArray view() {
    return data != null ? NDArray.wrap(data, shape) : NDArray.wrap(floats, shape);
  }

  /** Whether {@code a} reads this array's buffer (it is a {@link #view()} or a view of one). */
  public boolean backs(NDArray a) {
    Object buffer = data != null ? data : floats;
    return a.storage() == buffer;
  }

  /** An independent copy of the current contents. */
  public NDArray snapshot() {
    return data != null ? NDArray.wrap(data.clone(), shape.clone()) : NDArray.wrap(floats.clone(), shape.clone());
  }

  // A float32 array is updated in float32 arithmetic, as PyTorch's optimizers update float32 parameters: the
  // coefficients are rounded to float once, and the loops stay in floats so that C2 vectorises them (a loop that
  // widens to double and rounds back per element ran four times slower than the double loop).

  /** this ← alpha·this. */
  public MutableArray scale(double alpha) {
    written();
    if (data != null) {
      for (int i = 0; i < data.length; i++) {
        data[i] *= alpha;
      }
    } else {
      float a = (float) alpha;
      for (int i = 0; i < floats.length; i++) {
        floats[i] *= a;
      }
    }
    return this;
  }

  /** this ← alpha·this + beta·x. */
  public MutableArray scaleAdd(double alpha, double beta, NDArray x) {
    NDArray xc = operand("scaleAdd", x);
    written();
    if (data != null) {
      double[] xd = xc.buffer();
      for (int i = 0; i < data.length; i++) {
        data[i] = alpha * data[i] + beta * xd[i];
      }
    } else {
      float[] xf = xc.floatBuffer();
      float a = (float) alpha;
      float b = (float) beta;
      for (int i = 0; i < floats.length; i++) {
        floats[i] = a * floats[i] + b * xf[i];
      }
    }
    return this;
  }

  /** this ← alpha·this + beta·x·y (elementwise; e.g. a running average of squared gradients). */
  public MutableArray addProduct(double alpha, double beta, NDArray x, NDArray y) {
    NDArray xc = operand("addProduct", x);
    NDArray yc = operand("addProduct", y);
    written();
    if (data != null) {
      double[] xd = xc.buffer();
      double[] yd = yc.buffer();
      for (int i = 0; i < data.length; i++) {
        data[i] = alpha * data[i] + beta * xd[i] * yd[i];
      }
    } else {
      float[] xf = xc.floatBuffer();
      float[] yf = yc.floatBuffer();
      float a = (float) alpha;
      float b = (float) beta;
      for (int i = 0; i < floats.length; i++) {
        floats[i] = a * floats[i] + b * xf[i] * yf[i];
      }
    }
    return this;
  }

  /** this ← this + value·num / (denScale·√den + eps) (Adam's and RMSProp's step). */
  public MutableArray addRatio(double value, NDArray num, NDArray den, double denScale, double eps) {
    NDArray nc = operand("addRatio", num);
    NDArray dc = operand("addRatio", den);
    written();
    if (data != null) {
      double[] nd = nc.buffer();
      double[] dd = dc.buffer();
      for (int i = 0; i < data.length; i++) {
        data[i] += value * nd[i] / (denScale * Math.sqrt(dd[i]) + eps);
      }
    } else {
      float[] nf = nc.floatBuffer();
      float[] df = dc.floatBuffer();
      float v = (float) value;
      float s = (float) denScale;
      float e = (float) eps;
      for (int i = 0; i < floats.length; i++) {
        floats[i] += v * nf[i] / (s * (float) Math.sqrt(df[i]) + e);
      }
    }
    return this;
  }

  /** Copies {@code x} into this array (converted to this array's dtype). */
  public MutableArray set(NDArray x) {
    NDArray xc = operand("set", x);
    written();
    System.arraycopy(xc.storage(), 0, data != null ? data : floats, 0, size());
    return this;
  }

  /**
   * {@code x} checked for shape, in this array's dtype, contiguous from offset 0 of its buffer: the loops index every
   * buffer with the same {@code i}, the only form C2 vectorises when it cannot rule out that two buffers are one
   * (with {@code x[xo + i]} beside {@code data[i]} the update ran 3.5 times slower).
   */
  private NDArray operand(String op, NDArray x) {
    checkArgument(Arrays.equals(x.shapeRef(), shape), "MutableArray.%s: operand shape %s differs from %s", op,
        Shapes.lazyFormat(x.shapeRef()), Shapes.lazyFormat(shape));
    NDArray c = x.contiguous().to(dtype());
    return c.offset() == 0 ? c : c.copy();
  }

  private void written() {
    if (onWrite != null) {
      onWrite.run();
    }
  }
}
