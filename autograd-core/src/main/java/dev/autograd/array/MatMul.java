package dev.autograd.array;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;

/**
 * Matrix products with NumPy {@code matmul} semantics: 1-d operands are promoted to a row (left) or a column (right)
 * and the promoted axis dropped again; leading batch axes broadcast. A transposed view is passed to {@link Gemm} as a
 * transpose flag with its leading dimension, never copied.
 */
final class MatMul {
  /** Products smaller than this many multiply-adds are computed in parallel across a batch (see batched). */
  static final long SPLIT_BATCH_BELOW = 1L << 18;

  private MatMul() {}

  static NDArray matmul(NDArray a, NDArray b) {
    DType dtype = DType.promote(a.dtype(), b.dtype()); // float32 @ float64 is float64, as any binary op
    a = a.to(dtype);
    b = b.to(dtype);
    checkArgument(a.rank() >= 1 && b.rank() >= 1,
        "matmul: both operands need rank >= 1, got shapes %s and %s", Shapes.lazyFormat(a.shapeRef()),
        Shapes.lazyFormat(b.shapeRef()));
    boolean vecLeft = a.rank() == 1;
    boolean vecRight = b.rank() == 1;
    NDArray a2 = vecLeft ? a.reshape(1, a.size()) : a;
    NDArray b2 = vecRight ? b.reshape(b.size(), 1) : b;
    NDArray out = batched(a, b, a2, b2, null);
    if (!vecLeft && !vecRight) {
      return out;
    }
    int[] s = out.shapeRef();
    int[] squeezed = vecLeft && vecRight ? Arrays.copyOf(s, s.length - 2)
        : vecLeft ? drop(s, s.length - 2) : Arrays.copyOf(s, s.length - 1);
    return out.reshape(squeezed);
  }

  /**
   * x·wᵀ + bias for x {@code [..., in]}, w {@code [out, in]} and bias {@code [out]} (or null), PyTorch's
   * {@code F.linear}: the bias is the product's starting value, so the result is written once instead of being made
   * by the product and then again by an add. A vector x, or a bias of another dtype than the product (which then
   * promotes, as in an add), takes the product and the add.
   */
  static NDArray linear(NDArray x, NDArray w, NDArray bias) {
    checkNotNull(w, "linear: the weight is null (the bias may be, the weight may not)");
    checkArgument(w.rank() == 2, "linear: the weight must be a matrix [out, in], got shape %s",
        Shapes.lazyFormat(w.shapeRef()));
    int out = w.shapeRef()[0];
    checkArgument(bias == null || (bias.rank() == 1 && bias.size() == out),
        "linear: the bias must have shape [%s] for a weight of shape %s, got %s", out,
        Shapes.lazyFormat(w.shapeRef()), bias == null ? "" : Shapes.lazyFormat(bias.shapeRef()));
    checkArgument(x.rank() >= 1 && x.shapeRef()[x.rank() - 1] == w.shapeRef()[1],
        "linear: inner dimensions differ: %s @ %sᵀ (the last axis of the input must equal the last axis of the "
            + "weight)", Shapes.lazyFormat(x.shapeRef()), Shapes.lazyFormat(w.shapeRef()));
    NDArray wt = w.transpose();
    DType dtype = DType.promote(x.dtype(), w.dtype());
    if (bias == null || x.rank() < 2 || bias.dtype() != dtype) {
      NDArray product = matmul(x, wt);
      return bias == null ? product : product.add(bias);
    }
    return batched(x, wt, x.to(dtype), wt.to(dtype), bias.contiguous());
  }

  private static int[] drop(int[] s, int axis) {
    int[] out = new int[s.length - 1];
    for (int i = 0, j = 0; i < s.length; i++) {
      if (i != axis) {
        out[j++] = s[i];
      }
    }
    return out;
  }

  /** The product, each output row starting from {@code init} (a contiguous [n] array of the result dtype) if given. */
  private static NDArray batched(NDArray origA, NDArray origB, NDArray a, NDArray b, NDArray init) {
    int[] as = a.shapeRef();
    int[] bs = b.shapeRef();
    int m = as[as.length - 2];
    int k = as[as.length - 1];
    int n = bs[bs.length - 1];
    checkArgument(bs[bs.length - 2] == k,
        "matmul: inner dimensions differ: %s @ %s (the last axis of the left operand, %s, must equal the "
            + "second-to-last axis of the right operand, %s)",
        Shapes.lazyFormat(origA.shapeRef()), Shapes.lazyFormat(origB.shapeRef()), k, bs[bs.length - 2]);
    int[] batchA = Arrays.copyOf(as, as.length - 2);
    int[] batchB = Arrays.copyOf(bs, bs.length - 2);
    int[] batch = Shapes.broadcast("matmul (batch axes)", batchA, batchB);
    int[] outShape = Arrays.copyOf(batch, batch.length + 2);
    outShape[batch.length] = m;
    outShape[batch.length + 1] = n;
    Object out = NDArray.allocate(a.dtype(), Shapes.size("matmul", outShape)); // a and b share it (see matmul)
    if (init != null) {
      for (int row = 0, rows = Shapes.size(outShape) / Math.max(n, 1); row < rows; row++) {
        System.arraycopy(init.storage(), init.offset(), out, row * n, n);
      }
    }

    Operand la = Operand.of(a);
    Operand lb = Operand.of(b);
    int[] aBatchStrides = batchStrides(la.array, batch);
    int[] bBatchStrides = batchStrides(lb.array, batch);
    int batches = Shapes.size(batch);
    Gemm gemm = Gemms.current();
    long work = (long) m * n * k;
    // The output is a new Java array, hence already zeros. A large product goes to the BLAS's blocked driver, which
    // for beta = 0 first fills C with zeros and then accumulates into it: beta = 1 skips that second pass over the
    // output, with the same bits (0 + x is x, and the driver's own fill gives +0 for a -0 sum as well). Small
    // products keep beta = 0, which selects kernels that write C without reading it, unless C starts from init.
    double beta = work < SPLIT_BATCH_BELOW && init == null ? 0.0 : 1.0;
    Parallel.RangeBody products = (from, to) -> {
      for (int t = from; t < to; t++) {
        int ao = la.array.offset();
        int bo = lb.array.offset();
        for (int d = batch.length - 1, rest = t; d >= 0; rest /= batch[d], d--) {
          ao += rest % batch[d] * aBatchStrides[d];
          bo += rest % batch[d] * bBatchStrides[d];
        }
        if (out instanceof float[] c) {
          gemm.sgemm(la.transposed, lb.transposed, m, n, k, 1.0f, la.array.floatBuffer(), ao, la.ld,
              lb.array.floatBuffer(), bo, lb.ld, (float) beta, c, t * m * n, n);
        } else {
          gemm.gemm(la.transposed, lb.transposed, m, n, k, 1.0, la.array.buffer(), ao, la.ld, lb.array.buffer(), bo,
              lb.ld, beta, (double[]) out, t * m * n, n);
        }
      }
    };
    if (work < SPLIT_BATCH_BELOW) {
      // a GEMM this small runs on one thread (OpenBLAS splits dgemm only above about 2^18 multiply-adds), so a batch
      // of them, such as a convolution's per-image products, is split over threads here; each product is computed
      // whole by one thread, so the results do not depend on the split
      Parallel.forRange(batches, work * batches, products);
    } else {
      products.run(0, batches);
    }
    return NDArray.wrapStorage(out, outShape);
  }

  /** Strides of the batch axes of {@code x} aligned to {@code batch}, 0 where broadcast. */
  private static int[] batchStrides(NDArray x, int[] batch) {
    int[] s = x.shapeRef();
    int[] full = x.broadcastStrides(concat(batch, s[s.length - 2], s[s.length - 1]));
    return Arrays.copyOf(full, batch.length);
  }

  private static int[] concat(int[] batch, int r, int c) {
    int[] out = Arrays.copyOf(batch, batch.length + 2);
    out[batch.length] = r;
    out[batch.length + 1] = c;
    return out;
  }

  /** How the last two axes of an operand reach GEMM: as stored, transposed, or (if neither) a contiguous copy. */
  private static final class Operand {
    final NDArray array;
    final boolean transposed;
    final int ld;

    private Operand(NDArray array, boolean transposed, int ld) {
      this.array = array;
      this.transposed = transposed;
      this.ld = ld;
    }

    static Operand of(NDArray x) {
      int[] s = x.shapeRef();
      int[] st = x.stridesRef();
      int rows = s[s.length - 2];
      int cols = s[s.length - 1];
      int rs = st[st.length - 2];
      int cs = st[st.length - 1];
      if ((cs == 1 || cols == 1) && (rs >= cols || rows == 1)) {
        return new Operand(x, false, rows == 1 ? cols : rs);
      }
      if ((rs == 1 || rows == 1) && (cs >= rows || cols == 1)) {
        return new Operand(x, true, cols == 1 ? rows : cs);
      }
      NDArray c = x.copy();
      return new Operand(c, false, cols);
    }
  }
}
