package dev.autograd;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.autograd.array.Im2Col;
import dev.autograd.array.Im2Col.Geometry;
import dev.autograd.array.NDArray;
import dev.autograd.array.Shapes;

/**
 * Differentiable convolution and pooling with the names, argument order and semantics of
 * {@code torch.nn.functional}: {@code conv1d}, {@code conv2d}, {@code conv_transpose2d}, {@code max_pool1d/2d},
 * {@code avg_pool1d/2d}, {@code unfold} and {@code fold}. Inputs are {@code [N, C, L]} or {@code [N, C, H, W]}
 * (or the same without the batch axis, as PyTorch's unbatched inputs); settings come in {@link ConvOptions} and
 * {@link PoolOptions}.
 *
 * <pre>{@code
 * Value x = Value.randn(rng, 64, 1, 28, 28);
 * Value w = Value.randn(rng, 32, 1, 3, 3).requiresGrad(true);
 * Value b = Value.zeros(32).requiresGrad(true);
 * Value y = Conv.conv2d(x, w, b, ConvOptions.builder().padding(1).build());   // [64, 32, 28, 28]
 * Value p = Conv.maxPool2d(y.relu(), 2);                                      // [64, 32, 14, 14]
 * }</pre>
 *
 * <p>Two primitives do the work: {@link #unfold} (im2col) and {@link #fold} (col2im), each the other's adjoint, so
 * each one's gradient is the other and every derivative order comes free. A convolution is a batched matrix product
 * of the weights with each image's columns; a transposed convolution folds the product of the
 * transposed weights with the input; average pooling takes the mean of the columns. Their gradients all come from
 * the rules of those ops. Max pooling is one op of its own, whose rule masks g to each window's first maximum and
 * folds it back.
 *
 * <p>Where several elements of a max-pooling window equal its maximum, the gradient goes to the first of them, as in
 * PyTorch (not shared as by {@link Value#max(int...)}). A window made entirely of padding (possible only with
 * dilation) gives −∞ and passes no gradient.
 */
public final class Conv {
  private Conv() {}

  // ------------------------------------------------------------------ convolution

  /** {@link #conv1d(Value, Value, Value, ConvOptions)} without bias, with default options. */
  public static Value conv1d(Value input, Value weight) {
    return conv1d(input, weight, null, ConvOptions.DEFAULT);
  }

  /** {@link #conv1d(Value, Value, Value, ConvOptions)} with default options. */
  public static Value conv1d(Value input, Value weight, Value bias) {
    return conv1d(input, weight, bias, ConvOptions.DEFAULT);
  }

  /**
   * 1-d cross-correlation, PyTorch's {@code F.conv1d(input, weight, bias, stride, padding, dilation, groups)}:
   * input {@code [N, C, L]} (or {@code [C, L]}), weight {@code [O, C/groups, k]}, optional bias {@code [O]}; result
   * {@code [N, O, (L + 2·padding − dilation·(k − 1) − 1) / stride + 1]}. Options must give one number per setting.
   *
   * @throws IllegalArgumentException for wrong ranks, channel counts that do not match the weight and groups, a
   *     dilated kernel larger than the padded input, or an outputPadding
   */
  public static Value conv1d(Value input, Value weight, Value bias, ConvOptions options) {
    String op = "conv1d";
    checkNotNull(options, "options");
    boolean unbatched = unbatched(op, input, 3, "[N, C, L] or unbatched [C, L]");
    checkWeight(op, weight, 3, "[out_channels, in_channels/groups, kL]");
    checkOutputPaddingUnused(op, options);
    checkChannels(op, input.shape(), weight.shape(), bias, options.groups);
    int stride = ConvOptions.single(op, "stride", options.strideH, options.strideW);
    int padding = ConvOptions.single(op, "padding", options.padH, options.padW);
    int dilation = ConvOptions.single(op, "dilation", options.dilationH, options.dilationW);
    Value x = unbatched ? input.unsqueeze(0) : input;
    int[] xs = x.shape();
    int[] ws = weight.shape();
    Geometry g = Geometry.of(op, 1, xs[2], 1, ws[2], 1, stride, 0, padding, 1, dilation);
    Value y = convolve(x.reshape(xs[0], xs[1], 1, xs[2]), weight.reshape(ws[0], ws[1], 1, ws[2]), bias, g,
        options.groups);
    return unbatched ? y.reshape(ws[0], g.blocksW()) : y.reshape(xs[0], ws[0], g.blocksW());
  }

  /** {@link #conv2d(Value, Value, Value, ConvOptions)} without bias, with default options. */
  public static Value conv2d(Value input, Value weight) {
    return conv2d(input, weight, null, ConvOptions.DEFAULT);
  }

  /** {@link #conv2d(Value, Value, Value, ConvOptions)} with default options. */
  public static Value conv2d(Value input, Value weight, Value bias) {
    return conv2d(input, weight, bias, ConvOptions.DEFAULT);
  }

  /**
   * 2-d cross-correlation, PyTorch's {@code F.conv2d(input, weight, bias, stride, padding, dilation, groups)}:
   * input {@code [N, C, H, W]} (or {@code [C, H, W]}), weight {@code [O, C/groups, kH, kW]}, optional bias
   * {@code [O]}; result {@code [N, O, Ho, Wo]} with {@code Ho = (H + 2·padH − dilationH·(kH − 1) − 1) / strideH + 1}
   * (floor), likewise Wo. Computed as one matrix product per image and group: weights {@code [O/G, C/G·kH·kW]} times
   * the image's columns {@code [C/G·kH·kW, Ho·Wo]}.
   *
   * @throws IllegalArgumentException for wrong ranks, channel counts that do not match the weight and groups, a bias
   *     that is not {@code [O]}, a dilated kernel larger than the padded input, or an outputPadding
   */
  public static Value conv2d(Value input, Value weight, Value bias, ConvOptions options) {
    String op = "conv2d";
    checkNotNull(options, "options");
    boolean unbatched = unbatched(op, input, 4, "[N, C, H, W] or unbatched [C, H, W]");
    checkWeight(op, weight, 4, "[out_channels, in_channels/groups, kH, kW]");
    checkOutputPaddingUnused(op, options);
    checkChannels(op, input.shape(), weight.shape(), bias, options.groups);
    Value x = unbatched ? input.unsqueeze(0) : input;
    int[] xs = x.shape();
    int[] ws = weight.shape();
    Geometry g = Geometry.of(op, xs[2], xs[3], ws[2], ws[3], options.strideH, options.strideW, options.padH,
        options.padW, options.dilationH, options.dilationW);
    Value y = convolve(x, weight, bias, g, options.groups);
    return unbatched ? y.reshape(ws[0], g.blocksH(), g.blocksW()) : y;
  }

  /**
   * The convolution of a batch {@code x} ({@code [N, C, H, W]}), checked: unfold, then one batched product of the
   * weights {@code [G, O/G, C/G·kh·kw]} with every image's columns {@code [N, G, C/G·kh·kw, L]}, which gives the
   * result in NCHW order. A bias joins the product as one more weight column against a row of ones, so that neither
   * pass makes a pass over the (large) output for it.
   *
   * <p>One product per image rather than one over all images ({@code [O, C·kh·kw] @ [C·kh·kw, N·L]}): measured on
   * 64 MNIST images with 32 3×3 filters, single-threaded, forward and backward took 15 ms this way against 17-24 ms
   * that way, which has to permute its {@code [O, N, L]} result, so copy the output gradient in the backward pass,
   * and streams its whole output through memory where a per-image product stays in cache.
   */
  private static Value convolve(Value x, Value weight, Value bias, Geometry g, int groups) {
    int n = x.shape()[0];
    int[] ws = weight.shape();
    int out = ws[0];
    int rows = ws[1] * g.kernelArea();
    Value cols = unfoldBlocks(x, g, 0.0).reshape(n, groups, rows, g.blocks());
    Value weights = weight.reshape(groups, out / groups, rows);
    if (bias != null) {
      cols = Value.concat(2, cols, Value.ones(x.dtype(), n, groups, 1, g.blocks()));
      weights = Value.concat(2, weights, bias.reshape(groups, out / groups, 1));
    }
    return weights.matmul(cols).reshape(n, out, g.blocksH(), g.blocksW());
  }

  /** {@link #convTranspose2d(Value, Value, Value, ConvOptions)} without bias, with default options. */
  public static Value convTranspose2d(Value input, Value weight) {
    return convTranspose2d(input, weight, null, ConvOptions.DEFAULT);
  }

  /** {@link #convTranspose2d(Value, Value, Value, ConvOptions)} with default options. */
  public static Value convTranspose2d(Value input, Value weight, Value bias) {
    return convTranspose2d(input, weight, bias, ConvOptions.DEFAULT);
  }

  /**
   * Transposed 2-d convolution (the gradient of conv2d with respect to its input), PyTorch's
   * {@code F.conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups, dilation)}: input
   * {@code [N, C, H, W]} (or {@code [C, H, W]}), weight {@code [C, O/groups, kH, kW]}, optional bias {@code [O]};
   * result {@code [N, O, Ho, Wo]} with {@code Ho = (H − 1)·strideH − 2·padH + dilationH·(kH − 1) + outputPadH + 1},
   * likewise Wo. outputPadding must be smaller than the stride or the dilation of its axis.
   *
   * @throws IllegalArgumentException for wrong ranks, channel counts that do not match the weight and groups, a bias
   *     that is not {@code [O]}, an outputPadding too large, or an output size below 1
   */
  public static Value convTranspose2d(Value input, Value weight, Value bias, ConvOptions options) {
    String op = "convTranspose2d";
    checkNotNull(options, "options");
    boolean unbatched = unbatched(op, input, 4, "[N, C, H, W] or unbatched [C, H, W]");
    checkWeight(op, weight, 4, "[in_channels, out_channels/groups, kH, kW]");
    int[] is = input.shape();
    int[] ws = weight.shape();
    int channels = is[is.length - 3];
    int groups = options.groups;
    checkArgument(channels == ws[0], "%s: input shape %s has %s channels, but weight shape %s expects %s "
        + "(weight.shape[0])", op, Shapes.lazyFormat(is), channels, Shapes.lazyFormat(ws), ws[0]);
    checkArgument(channels % groups == 0, "%s: groups %s must divide the %s input channels (input shape %s)", op,
        groups, channels, Shapes.lazyFormat(is));
    int out = Math.multiplyExact(ws[1], groups);
    checkBias(op, bias, out);
    Value x = unbatched ? input.unsqueeze(0) : input;
    Geometry g = transposedGeometry(op, x.shape()[2], x.shape()[3], ws[2], ws[3], options);
    int n = x.shape()[0];
    int inPerGroup = channels / groups;
    int rows = ws[1] * g.kernelArea();
    Value weightT = weight.reshape(groups, inPerGroup, rows).transpose(1, 2); // a view the product reads as is
    Value cols = weightT.matmul(x.reshape(n, groups, inPerGroup, g.blocks())).reshape(n, groups * rows, g.blocks());
    Value y = foldBlocks(cols, g, out);
    y = bias == null ? y : y.add(bias.reshape(1, out, 1, 1));
    return unbatched ? y.reshape(out, g.height(), g.width()) : y;
  }

  /** The output image of a transposed convolution, with one block per input position. */
  private static Geometry transposedGeometry(String op, int h, int w, int kh, int kw, ConvOptions o) {
    checkArgument(kh > 0 && kw > 0, "%s: kernel size must be positive, got %sx%s", op, kh, kw);
    checkArgument(o.outputPadH < Math.max(o.strideH, o.dilationH) && o.outputPadW < Math.max(o.strideW, o.dilationW),
        "%s: outputPadding %sx%s must be smaller than either the stride %sx%s or the dilation %sx%s", op,
        o.outputPadH, o.outputPadW, o.strideH, o.strideW, o.dilationH, o.dilationW);
    long outH = (h - 1L) * o.strideH - 2L * o.padH + (long) o.dilationH * (kh - 1) + o.outputPadH + 1;
    long outW = (w - 1L) * o.strideW - 2L * o.padW + (long) o.dilationW * (kw - 1) + o.outputPadW + 1;
    checkArgument(outH > 0 && outW > 0 && outH * outW <= Shapes.MAX_ELEMENTS, "%s: the output size %sx%s (input %sx%s, "
        + "kernel %sx%s, %s) must be positive", op, outH, outW, h, w, kh, kw, o);
    return new Geometry((int) outH, (int) outW, kh, kw, o.strideH, o.strideW, o.padH, o.padW, o.dilationH,
        o.dilationW, h, w);
  }

  // ------------------------------------------------------------------ pooling

  /** {@link #maxPool1d(Value, PoolOptions)} with stride equal to the kernel size and no padding. */
  public static Value maxPool1d(Value input, int kernelSize) {
    return maxPool1d(input, PoolOptions.of(kernelSize));
  }

  /**
   * 1-d max pooling, PyTorch's {@code F.max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode)}: input
   * {@code [N, C, L]} (or {@code [C, L]}); padding counts as −∞ and must be at most half the kernel size. NaN in a
   * window gives NaN. Tied maxima: the gradient goes to the first.
   *
   * @throws IllegalArgumentException for a wrong rank, too much padding, or a dilated kernel larger than the padded
   *     input
   */
  public static Value maxPool1d(Value input, PoolOptions options) {
    return pool1d("maxPool1d", input, options, true);
  }

  /** {@link #maxPool2d(Value, PoolOptions)} with stride equal to the kernel size and no padding. */
  public static Value maxPool2d(Value input, int kernelSize) {
    return maxPool2d(input, PoolOptions.of(kernelSize));
  }

  /**
   * 2-d max pooling, PyTorch's {@code F.max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode)}: input
   * {@code [N, C, H, W]} (or {@code [C, H, W]}); result {@code [N, C, Ho, Wo]} with
   * {@code Ho = (H + 2·padH − dilationH·(kH − 1) − 1) / strideH + 1} (floor, or ceiling in ceil mode, where a last
   * window must start inside the input or its left padding). Padding counts as −∞ and must be at most half the
   * kernel size. NaN in a window gives NaN. Tied maxima: the gradient goes to the first in window order, as PyTorch.
   *
   * @throws IllegalArgumentException for a wrong rank, too much padding, or a dilated kernel larger than the padded
   *     input
   */
  public static Value maxPool2d(Value input, PoolOptions options) {
    return pool2d("maxPool2d", input, options, true);
  }

  /** {@link #avgPool1d(Value, PoolOptions)} with stride equal to the kernel size and no padding. */
  public static Value avgPool1d(Value input, int kernelSize) {
    return avgPool1d(input, PoolOptions.of(kernelSize));
  }

  /**
   * 1-d average pooling, PyTorch's {@code F.avg_pool1d(input, kernel_size, stride, padding, ceil_mode,
   * count_include_pad)}; see {@link #avgPool2d(Value, PoolOptions)}.
   *
   * @throws IllegalArgumentException for a wrong rank, too much padding, a dilation, or a kernel larger than the
   *     padded input
   */
  public static Value avgPool1d(Value input, PoolOptions options) {
    return pool1d("avgPool1d", input, options, false);
  }

  /** {@link #avgPool2d(Value, PoolOptions)} with stride equal to the kernel size and no padding. */
  public static Value avgPool2d(Value input, int kernelSize) {
    return avgPool2d(input, PoolOptions.of(kernelSize));
  }

  /**
   * 2-d average pooling, PyTorch's {@code F.avg_pool2d(input, kernel_size, stride, padding, ceil_mode,
   * count_include_pad)}: output size as {@link #maxPool2d(Value, PoolOptions)}. Each window's sum is divided by its
   * size counting zero padding (countIncludePad, the default) but not the part of a ceil-mode window beyond the
   * padding, or by its number of input elements (countIncludePad false). Padding must be at most half the kernel
   * size; there is no dilation (as in PyTorch).
   *
   * @throws IllegalArgumentException for a wrong rank, too much padding, a dilation, or a kernel larger than the
   *     padded input
   */
  public static Value avgPool2d(Value input, PoolOptions options) {
    return pool2d("avgPool2d", input, options, false);
  }

  private static Value pool1d(String op, Value input, PoolOptions o, boolean max) {
    checkNotNull(o, "options");
    boolean unbatched = unbatched(op, input, 3, "[N, C, L] or unbatched [C, L]");
    Value x = unbatched ? input.unsqueeze(0) : input;
    int[] xs = x.shape();
    Geometry g = poolGeometry(op, 1, xs[2], 1, ConvOptions.single(op, "kernelSize", o.kernelH, o.kernelW), 1,
        ConvOptions.single(op, "stride", o.strideH, o.strideW), 0, ConvOptions.single(op, "padding", o.padH, o.padW),
        1, ConvOptions.single(op, "dilation", o.dilationH, o.dilationW), o.ceilMode);
    Value y = pool(op, x.reshape(xs[0], xs[1], 1, xs[2]), g, max, o.countIncludePad);
    return unbatched ? y.reshape(xs[1], g.blocksW()) : y.reshape(xs[0], xs[1], g.blocksW());
  }

  private static Value pool2d(String op, Value input, PoolOptions o, boolean max) {
    checkNotNull(o, "options");
    boolean unbatched = unbatched(op, input, 4, "[N, C, H, W] or unbatched [C, H, W]");
    Value x = unbatched ? input.unsqueeze(0) : input;
    int[] xs = x.shape();
    Geometry g = poolGeometry(op, xs[2], xs[3], o.kernelH, o.kernelW, o.strideH, o.strideW, o.padH, o.padW,
        o.dilationH, o.dilationW, o.ceilMode);
    Value y = pool(op, x, g, max, o.countIncludePad);
    return unbatched ? y.reshape(xs[1], g.blocksH(), g.blocksW()) : y;
  }

  private static Geometry poolGeometry(String op, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh,
      int dw, boolean ceilMode) {
    checkArgument(ph <= kh / 2 && pw <= kw / 2, "%s: padding %sx%s must be at most half the kernel size %sx%s", op,
        ph, pw, kh, kw);
    Geometry g = Geometry.of(op, h, w, kh, kw, sh, sw, ph, pw, dh, dw);
    return ceilMode ? g.withBlocks(ceilBlocks(h, kh, sh, ph, dh), ceilBlocks(w, kw, sw, pw, dw)) : g;
  }

  /** PyTorch's ceil-mode output length: rounded up, less one if the last window would start in the right padding. */
  private static int ceilBlocks(int size, int kernel, int stride, int pad, int dilation) {
    long span = (long) dilation * (kernel - 1) + 1;
    long blocks = (size + 2L * pad - span + stride - 1) / stride + 1;
    if ((blocks - 1) * stride >= size + (long) pad) {
      blocks--;
    }
    return (int) blocks;
  }

  /** Max or mean over the windows of a batch {@code x} ({@code [N, C, H, W]}): {@code [N, C, Ho, Wo]}. */
  private static Value pool(String op, Value x, Geometry g, boolean max, boolean countIncludePad) {
    int n = x.shape()[0];
    int c = x.shape()[1];
    Value reduced;
    if (max) {
      reduced = firstMax(x, g);
    } else {
      checkArgument(g.dilationH() == 1 && g.dilationW() == 1, "%s: average pooling has no dilation, got %sx%s", op,
          g.dilationH(), g.dilationW());
      Value sums = unfoldBlocks(x, g, 0.0).reshape(n, c, g.kernelArea(), g.blocks()).sum(2);
      reduced = sums.div(Value.of(divisors(g, countIncludePad).to(sums.dtype())));
    }
    return reduced.reshape(n, c, g.blocksH(), g.blocksW());
  }

  /**
   * The maximum of every window of {@code x}, {@code [N, C, Ho·Wo]}, padding counting as −∞; its gradient goes only
   * to the first maximal element of a window (as PyTorch's), found by unfolding x again in the backward pass rather
   * than keeping the windows. One op, so that no recorded value holds the −∞ padding (which
   * {@link Autograd#detectAnomaly()} would report). The rule is linear in g with a constant mask, so its own
   * derivative is the exact zero second derivative.
   */
  private static Value firstMax(Value x, Geometry g) {
    int n = x.shape()[0];
    int c = x.shape()[1];
    int kk = g.kernelArea();
    int l = g.blocks();
    NDArray maxima = windows(x.array(), g).max(new int[] {2}, false);
    return Value.record("maxPool", maxima, (grad, out) -> {
      NDArray first = windows(x.array(), g).argmax(2).reshape(n, c, 1, l).eq(NDArray.arange(kk).reshape(kk, 1));
      Value cols = grad.reshape(n, c, 1, l).mul(Value.of(first.to(grad.dtype()))).reshape(n, c * kk, l);
      return new Value[] {foldBlocks(cols, g, c)};
    }, x);
  }

  /** The windows of a batch {@code [N, C, H, W]} as {@code [N, C, kh·kw, L]}, padding −∞. */
  private static NDArray windows(NDArray x, Geometry g) {
    int[] s = x.shape();
    return Im2Col.unfold(x, g, Double.NEGATIVE_INFINITY).reshape(s[0], s[1], g.kernelArea(), g.blocks());
  }

  /** What each average-pooling window's sum is divided by, per output position ({@code [Ho·Wo]}). */
  private static NDArray divisors(Geometry g, boolean countIncludePad) {
    double[] d = new double[g.blocks()];
    for (int oh = 0; oh < g.blocksH(); oh++) {
      int rows = windowExtent(oh, g.strideH(), g.padH(), g.kernelH(), g.height(), countIncludePad);
      for (int ow = 0; ow < g.blocksW(); ow++) {
        d[oh * g.blocksW() + ow] = (double) rows
            * windowExtent(ow, g.strideW(), g.padW(), g.kernelW(), g.width(), countIncludePad);
      }
    }
    return NDArray.of(d);
  }

  /** Length of window {@code o} clipped to the padded input, or to the input itself without countIncludePad. */
  private static int windowExtent(int o, int stride, int pad, int kernel, int size, boolean countIncludePad) {
    int start = o * stride - pad;
    int end = Math.min(start + kernel, size + pad);
    return countIncludePad ? end - start : Math.min(end, size) - Math.max(start, 0);
  }

  // ------------------------------------------------------------------ unfold and fold

  /** {@link #unfold(Value, int, int, ConvOptions)} with a square kernel and default options. */
  public static Value unfold(Value input, int kernelSize) {
    return unfold(input, kernelSize, kernelSize, ConvOptions.DEFAULT);
  }

  /**
   * The sliding blocks of a batch of images as columns (im2col), PyTorch's
   * {@code F.unfold(input, kernel_size, dilation, padding, stride)}: input {@code [N, C, H, W]} (or
   * {@code [C, H, W]}), result {@code [N, C·kH·kW, L]} (or {@code [C·kH·kW, L]}) with L = Ho·Wo blocks as in
   * conv2d; row {@code (c·kH + i)·kW + j} holds kernel position (i, j) of channel c. Zero padding. Its gradient is
   * {@link #fold}.
   *
   * @throws IllegalArgumentException for a wrong rank, a dilated kernel larger than the padded input, or groups or
   *     an outputPadding in the options
   */
  public static Value unfold(Value input, int kernelH, int kernelW, ConvOptions options) {
    String op = "unfold";
    checkNotNull(options, "options");
    boolean unbatched = unbatched(op, input, 4, "[N, C, H, W] or unbatched [C, H, W]");
    checkWindowOnly(op, options);
    Value x = unbatched ? input.unsqueeze(0) : input;
    int[] xs = x.shape();
    Geometry g = Geometry.of(op, xs[2], xs[3], kernelH, kernelW, options.strideH, options.strideW, options.padH,
        options.padW, options.dilationH, options.dilationW);
    Value cols = unfoldBlocks(x, g, 0.0);
    return unbatched ? cols.reshape(cols.shape()[1], cols.shape()[2]) : cols;
  }

  /** {@link #fold(Value, int, int, int, int, ConvOptions)} with a square kernel and default options. */
  public static Value fold(Value input, int outputH, int outputW, int kernelSize) {
    return fold(input, outputH, outputW, kernelSize, kernelSize, ConvOptions.DEFAULT);
  }

  /**
   * Columns summed back into images (col2im), PyTorch's
   * {@code F.fold(input, output_size, kernel_size, dilation, padding, stride)}: input {@code [N, C·kH·kW, L]} (or
   * {@code [C·kH·kW, L]}) with L the number of blocks of an {@code outputH × outputW} image (as {@link #unfold}),
   * result {@code [N, C, outputH, outputW]} (or {@code [C, outputH, outputW]}). Overlapping blocks add up; values
   * falling in the padding are dropped. The adjoint of {@link #unfold}, which is its gradient.
   *
   * @throws IllegalArgumentException for a wrong rank, a dimension 1 not divisible by kH·kW, a block count that does
   *     not match the output size, or groups or an outputPadding in the options
   */
  public static Value fold(Value input, int outputH, int outputW, int kernelH, int kernelW, ConvOptions options) {
    String op = "fold";
    checkNotNull(options, "options");
    boolean unbatched = unbatched(op, input, 3, "[N, C·kH·kW, L] or unbatched [C·kH·kW, L]");
    checkWindowOnly(op, options);
    checkArgument(outputH > 0 && outputW > 0, "%s: output size must be positive, got %sx%s", op, outputH, outputW);
    Value cols = unbatched ? input.unsqueeze(0) : input;
    int[] cs = cols.shape();
    Geometry g = Geometry.of(op, outputH, outputW, kernelH, kernelW, options.strideH, options.strideW, options.padH,
        options.padW, options.dilationH, options.dilationW);
    checkArgument(cs[1] % g.kernelArea() == 0, "%s: dimension 1 of input shape %s must be divisible by the kernel "
        + "area %s (kernel %sx%s)", op, Shapes.lazyFormat(input.shape()), g.kernelArea(), kernelH, kernelW);
    checkArgument(cs[2] == g.blocks(), "%s: input shape %s has %s blocks, but an output of %sx%s with kernel %sx%s "
        + "and %s has %sx%s = %s", op, Shapes.lazyFormat(input.shape()), cs[2], outputH, outputW, kernelH, kernelW,
        options, g.blocksH(), g.blocksW(), g.blocks());
    int channels = cs[1] / g.kernelArea();
    Value images = foldBlocks(cols, g, channels);
    return unbatched ? images.reshape(channels, outputH, outputW) : images;
  }

  // ------------------------------------------------------------------ the two primitives

  /** im2col of a batch {@code [N, C, H, W]}; gradient: fold. Padding reads {@code padValue}. */
  static Value unfoldBlocks(Value x, Geometry g, double padValue) {
    int channels = x.shape()[1];
    return Value.record("unfold", Im2Col.unfold(x.array(), g, padValue),
        (grad, out) -> new Value[] {foldBlocks(grad, g, channels)}, x);
  }

  /** col2im into {@code [N, channels, H, W]}; gradient: unfold with zero padding. */
  static Value foldBlocks(Value cols, Geometry g, int channels) {
    return Value.record("fold", Im2Col.fold(cols.array(), g, channels),
        (grad, out) -> new Value[] {unfoldBlocks(grad, g, 0.0)}, cols);
  }

  // ------------------------------------------------------------------ checks

  /**
   * Checks an input of rank {@code batchedRank} or one less (unbatched), its non-batch axes non-empty; returns
   * whether it is unbatched.
   */
  private static boolean unbatched(String op, Value input, int batchedRank, String expected) {
    checkNotNull(input, "input");
    int[] s = input.shape();
    checkArgument(s.length == batchedRank || s.length == batchedRank - 1, "%s: input must be %s, got shape %s", op,
        expected, Shapes.lazyFormat(s));
    for (int i = s.length - (batchedRank - 1); i < s.length; i++) {
      checkArgument(s[i] > 0, "%s: input shape %s has an empty non-batch axis", op, Shapes.lazyFormat(s));
    }
    return s.length == batchedRank - 1;
  }

  private static void checkWeight(String op, Value weight, int rank, String expected) {
    checkNotNull(weight, "weight");
    checkArgument(weight.rank() == rank, "%s: weight must be %s, got shape %s", op, expected,
        Shapes.lazyFormat(weight.shape()));
  }

  /** Input channels against weight {@code [O, C/groups, ...]} and groups, and the bias against O. */
  private static void checkChannels(String op, int[] inputShape, int[] weightShape, Value bias, int groups) {
    int spatial = weightShape.length - 2;
    int channels = inputShape[inputShape.length - spatial - 1];
    int out = weightShape[0];
    checkArgument(channels % groups == 0, "%s: groups %s must divide the %s input channels (input shape %s)", op,
        groups, channels, Shapes.lazyFormat(inputShape));
    checkArgument(out % groups == 0, "%s: groups %s must divide the %s output channels (weight shape %s)", op, groups,
        out, Shapes.lazyFormat(weightShape));
    checkArgument((long) weightShape[1] * groups == channels, "%s: input shape %s has %s channels, but weight shape %s "
        + "expects %s (weight.shape[1] %s × groups %s)", op, Shapes.lazyFormat(inputShape), channels,
        Shapes.lazyFormat(weightShape), (long) weightShape[1] * groups, weightShape[1], groups);
    checkBias(op, bias, out);
  }

  private static void checkBias(String op, Value bias, int out) {
    checkArgument(bias == null || (bias.rank() == 1 && bias.shape()[0] == out), "%s: bias must have shape [%s] (one "
        + "per output channel), got %s", op, out, bias == null ? "" : Shapes.lazyFormat(bias.shape()));
  }

  private static void checkOutputPaddingUnused(String op, ConvOptions o) {
    checkArgument(o.outputPadH == 0 && o.outputPadW == 0, "%s: outputPadding %sx%s applies to convTranspose2d only",
        op, o.outputPadH, o.outputPadW);
  }

  private static void checkWindowOnly(String op, ConvOptions o) {
    checkArgument(o.groups == 1, "%s: groups %s apply to convolutions only", op, o.groups);
    checkOutputPaddingUnused(op, o);
  }
}
