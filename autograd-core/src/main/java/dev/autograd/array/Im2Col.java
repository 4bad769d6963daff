package dev.autograd.array;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The two array kernels behind convolution and pooling: {@link #unfold} (im2col) copies every sliding block of an
 * image batch into a column, {@link #fold} (col2im) adds columns back into images. They are each other's adjoint:
 * ⟨unfold(x), y⟩ = ⟨x, fold(y)⟩ for zero padding.
 *
 * <p>Columns are laid out as PyTorch's {@code torch.nn.functional.unfold}: shape {@code [N, C·kh·kw, L]}, row index
 * {@code (c·kh + i)·kw + j}, column index {@code oh·blocksW + ow}, contiguous, so that {@code [N, C, kh·kw, L]} and
 * per-group shapes are views.
 */
public final class Im2Col {
  private Im2Col() {}

  /**
   * Where the sliding blocks of a kernel lie on an image of {@code height × width}: kernel size, stride, zero-based
   * padding on each side and dilation per spatial axis, and how many blocks there are along each axis. Blocks reach
   * input rows {@code oh·strideH − padH + i·dilationH}, i in [0, kernelH); positions outside the image read as the
   * pad value. {@link #of} counts blocks as PyTorch's unfold (floor); a caller may ask for fewer or more (ceil-mode
   * pooling, transposed convolution) with {@link #withBlocks}.
   */
  public record Geometry(int height, int width, int kernelH, int kernelW, int strideH, int strideW, int padH,
      int padW, int dilationH, int dilationW, int blocksH, int blocksW) {
    public Geometry {
      checkArgument(height >= 0 && width >= 0, "Im2Col: image size must be >= 0, got %sx%s", height, width);
      checkArgument(kernelH > 0 && kernelW > 0, "Im2Col: kernel size must be positive, got %sx%s", kernelH, kernelW);
      checkArgument(strideH > 0 && strideW > 0, "Im2Col: stride must be positive, got %sx%s", strideH, strideW);
      checkArgument(padH >= 0 && padW >= 0, "Im2Col: padding must be >= 0, got %sx%s", padH, padW);
      checkArgument(dilationH > 0 && dilationW > 0, "Im2Col: dilation must be positive, got %sx%s", dilationH,
          dilationW);
      checkArgument(blocksH > 0 && blocksW > 0, "Im2Col: need at least one block, got %sx%s", blocksH, blocksW);
    }

    /**
     * The geometry with PyTorch's block count {@code (size + 2·pad − dilation·(kernel − 1) − 1) / stride + 1}
     * (floor).
     *
     * @throws IllegalArgumentException naming {@code op} if the dilated kernel is larger than the padded image
     */
    public static Geometry of(String op, int height, int width, int kernelH, int kernelW, int strideH, int strideW,
        int padH, int padW, int dilationH, int dilationW) {
      checkArgument(kernelH > 0 && kernelW > 0, "%s: kernel size must be positive, got %sx%s", op, kernelH, kernelW);
      long spanH = (long) dilationH * (kernelH - 1) + 1;
      long spanW = (long) dilationW * (kernelW - 1) + 1;
      long paddedH = height + 2L * padH;
      long paddedW = width + 2L * padW;
      checkArgument(spanH <= paddedH && spanW <= paddedW,
          "%s: the kernel %sx%s (dilated extent %sx%s) is larger than the padded input %sx%s (input %sx%s, padding "
              + "%sx%s)", op, kernelH, kernelW, spanH, spanW, paddedH, paddedW, height, width, padH, padW);
      long blocksH = (paddedH - spanH) / strideH + 1;
      long blocksW = (paddedW - spanW) / strideW + 1;
      checkArgument(blocksH * blocksW <= Shapes.MAX_ELEMENTS, "%s: %sx%s blocks are more than an array can hold", op,
          blocksH, blocksW);
      return new Geometry(height, width, kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW,
          (int) blocksH, (int) blocksW);
    }

    /** The same windows with another number of blocks along each axis. */
    public Geometry withBlocks(int newBlocksH, int newBlocksW) {
      return new Geometry(height, width, kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW,
          newBlocksH, newBlocksW);
    }

    /** kh·kw: rows of the column matrix per channel. */
    public int kernelArea() {
      return kernelH * kernelW;
    }

    /** Number of blocks, L = blocksH·blocksW. */
    public int blocks() {
      return blocksH * blocksW;
    }

    /** First block index {@code o} (of {@code blocks}) whose position {@code o·stride − pad + offset} is >= 0. */
    private static int firstInside(int stride, int pad, int offset, int blocks) {
      int need = pad - offset; // o·stride >= need
      return need <= 0 ? 0 : Math.min(blocks, (need + stride - 1) / stride);
    }

    /** One past the last block index whose position {@code o·stride − pad + offset} is < size. */
    private static int endInside(int stride, int pad, int offset, int size, int blocks) {
      long room = (long) size + pad - offset; // o·stride < room
      return room <= 0 ? 0 : (int) Math.min(blocks, (room + stride - 1) / stride);
    }
  }

  /**
   * Every block of {@code x} ({@code [N, C, height, width]}) as a column: {@code [N, C·kh·kw, L]}, positions in
   * the padding (or beyond the image, with more blocks than fit) read as {@code padValue}.
   */
  public static NDArray unfold(NDArray x, Geometry g, double padValue) {
    int[] s = x.shapeRef();
    checkArgument(s.length == 4 && s[2] == g.height() && s[3] == g.width(),
        "unfold: expected an input [N, C, %s, %s], got %s", g.height(), g.width(), Shapes.lazyFormat(s));
    int n = s[0];
    int channels = s[1];
    int rows = Math.multiplyExact(channels, g.kernelArea());
    int blocks = g.blocks();
    int[] shape = {n, rows, blocks};
    Object out = NDArray.allocate(x.dtype(), Shapes.size("unfold", shape));
    // each image plane must be contiguous; the batch and channel axes may be strided or broadcast (a channel slice,
    // a batch-and-channel transpose, one image for all) without a copy
    NDArray c = planesContiguous(x) ? x : x.copy();
    Object src = c.storage();
    int base = c.offset();
    int imageStride = c.stridesRef()[0];
    int channelStride = c.stridesRef()[1];
    Parallel.forRange(n * rows, (long) n * rows * blocks, (from, to) -> {
      for (int item = from; item < to; item++) {
        int image = item / rows;
        int row = item % rows;
        int channel = row / g.kernelArea();
        int i = row % g.kernelArea() / g.kernelW();
        int j = row % g.kernelW();
        unfoldRow(src, base + image * imageStride + channel * channelStride, out, item * blocks, g, i, j, padValue);
      }
    });
    return NDArray.wrapStorage(out, shape);
  }

  /** Whether every [height, width] plane of a rank-4 array is stored row-major without gaps. */
  private static boolean planesContiguous(NDArray x) {
    int[] s = x.shapeRef();
    int[] st = x.stridesRef();
    return (st[3] == 1 || s[3] == 1) && (st[2] == s[3] || s[2] == 1);
  }

  /**
   * One row of the column matrix for one image: kernel offset (i, j) of every block. Buffers are a
   * {@code double[]} or {@code float[]} pair: the kernels only copy and add, so each dtype runs in its own.
   */
  private static void unfoldRow(Object src, int planeAt, Object out, int at, Geometry g, int i, int j,
      double padValue) {
    int bw = g.blocksW();
    int colOffset = j * g.dilationW();
    int owFrom = Geometry.firstInside(g.strideW(), g.padW(), colOffset, bw);
    int owTo = Math.max(owFrom, Geometry.endInside(g.strideW(), g.padW(), colOffset, g.width(), bw));
    int sw = g.strideW();
    for (int oh = 0; oh < g.blocksH(); oh++, at += bw) {
      int ih = oh * g.strideH() - g.padH() + i * g.dilationH();
      if (ih < 0 || ih >= g.height()) {
        fill(out, at, at + bw, padValue);
        continue;
      }
      fill(out, at, at + owFrom, padValue);
      int rowAt = planeAt + ih * g.width() + owFrom * sw - g.padW() + colOffset;
      if (sw == 1 && owTo > owFrom) { // (with no block inside, rowAt may lie before the plane)
        System.arraycopy(src, rowAt, out, at + owFrom, owTo - owFrom);
      } else {
        Layout.copyStrided(src, rowAt, sw, out, at + owFrom, owTo - owFrom);
      }
      fill(out, at + owTo, at + bw, padValue);
    }
  }

  private static void fill(Object out, int from, int to, double value) {
    if (out instanceof double[] d) {
      java.util.Arrays.fill(d, from, to, value);
    } else {
      java.util.Arrays.fill((float[]) out, from, to, (float) value);
    }
  }

  /**
   * The adjoint of {@link #unfold} with zero padding: columns {@code [N, channels·kh·kw, L]} (any strides) summed
   * back into images {@code [N, channels, height, width]}; values of blocks in the padding are dropped.
   */
  public static NDArray fold(NDArray cols, Geometry g, int channels) {
    int[] s = cols.shapeRef();
    checkArgument(channels >= 0 && s.length == 3 && s[1] == (long) channels * g.kernelArea() && s[2] == g.blocks(),
        "fold: expected columns [N, %s, %s] for %s channels, got %s", (long) channels * g.kernelArea(), g.blocks(),
        channels, Shapes.lazyFormat(s));
    int n = s[0];
    int plane = g.height() * g.width();
    int[] shape = {n, channels, g.height(), g.width()};
    Object out = NDArray.allocate(cols.dtype(), Shapes.size("fold", shape)); // summed in the columns' dtype
    Object src = cols.storage();
    int[] st = cols.stridesRef();
    int base = cols.offset();
    // each task owns whole output planes, so no two threads add into the same element
    Parallel.forRange(n * channels, (long) s[1] * s[2] * n, (from, to) -> {
      for (int item = from; item < to; item++) {
        int image = item / channels;
        int channel = item % channels;
        for (int k = 0; k < g.kernelArea(); k++) {
          int row = channel * g.kernelArea() + k;
          foldRow(src, base + image * st[0] + row * st[1], st[2], out, item * plane, g, k / g.kernelW(),
              k % g.kernelW());
        }
      }
    });
    return NDArray.wrapStorage(out, shape);
  }

  /** Adds one row of the column matrix (kernel offset (i, j), element stride {@code step}) into an image plane. */
  private static void foldRow(Object src, int rowAt, int step, Object out, int planeAt, Geometry g, int i, int j) {
    int bw = g.blocksW();
    int colOffset = j * g.dilationW();
    int owFrom = Geometry.firstInside(g.strideW(), g.padW(), colOffset, bw);
    int owTo = Geometry.endInside(g.strideW(), g.padW(), colOffset, g.width(), bw);
    int sw = g.strideW();
    for (int oh = 0; oh < g.blocksH(); oh++) {
      int ih = oh * g.strideH() - g.padH() + i * g.dilationH();
      if (ih < 0 || ih >= g.height()) {
        continue;
      }
      int p = planeAt + ih * g.width() + owFrom * sw - g.padW() + colOffset;
      int q = rowAt + (oh * bw + owFrom) * step;
      add(src, q, step, out, p, sw, owTo - owFrom);
    }
  }

  /** out[at + t·outStep] += src[from + t·step] for t in [0, n). */
  private static void add(Object src, int from, int step, Object out, int at, int outStep, int n) {
    if (src instanceof double[] s) {
      double[] o = (double[]) out;
      for (int t = 0; t < n; t++) {
        o[at + t * outStep] += s[from + t * step];
      }
    } else {
      float[] s = (float[]) src;
      float[] o = (float[]) out;
      for (int t = 0; t < n; t++) {
        o[at + t * outStep] += s[from + t * step];
      }
    }
  }
}
