package dev.autograd;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The settings of {@link Conv#maxPool1d}, {@link Conv#maxPool2d}, {@link Conv#avgPool1d} and {@link Conv#avgPool2d},
 * named as PyTorch's arguments, each a (height, width) pair: kernelSize (required), stride (default: the kernel
 * size), padding (at most half the kernel size), dilation (max pooling only), ceilMode (default false) and
 * countIncludePad (average pooling, default true). Immutable; build with
 * {@code PoolOptions.builder(3).stride(2).padding(1).build()}. A one-number setter sets both axes; 1-d ops need both
 * axes equal.
 */
public final class PoolOptions {
  final int kernelH;
  final int kernelW;
  final int strideH;
  final int strideW;
  final int padH;
  final int padW;
  final int dilationH;
  final int dilationW;
  final boolean ceilMode;
  final boolean countIncludePad;

  private PoolOptions(Builder b) {
    kernelH = b.kernelH;
    kernelW = b.kernelW;
    strideH = b.strideH == 0 ? b.kernelH : b.strideH;
    strideW = b.strideW == 0 ? b.kernelW : b.strideW;
    padH = b.padH;
    padW = b.padW;
    dilationH = b.dilationH;
    dilationW = b.dilationW;
    ceilMode = b.ceilMode;
    countIncludePad = b.countIncludePad;
  }

  /** Options with a square kernel and all other settings at their defaults. */
  public static PoolOptions of(int kernelSize) {
    return builder(kernelSize).build();
  }

  /** A builder for a square kernel, other settings at their defaults. */
  public static Builder builder(int kernelSize) {
    return builder(kernelSize, kernelSize);
  }

  /**
   * A builder for a kernelH × kernelW kernel, other settings at their defaults.
   *
   * @throws IllegalArgumentException unless both kernel sizes are positive
   */
  public static Builder builder(int kernelH, int kernelW) {
    checkArgument(kernelH > 0 && kernelW > 0, "PoolOptions: kernelSize must be positive, got %sx%s", kernelH, kernelW);
    return new Builder(kernelH, kernelW);
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "PoolOptions(kernelSize=%sx%s, stride=%sx%s, padding=%sx%s, "
        + "dilation=%sx%s, ceilMode=%s, countIncludePad=%s)", kernelH, kernelW, strideH, strideW, padH, padW,
        dilationH, dilationW, ceilMode, countIncludePad);
  }

  /** Mutable builder; every setter checks its values at once. Stride 0 stands for the kernel size. */
  public static final class Builder extends WindowBuilder<Builder> {
    private final int kernelH;
    private final int kernelW;
    private boolean ceilMode;
    private boolean countIncludePad = true;

    private Builder(int kernelH, int kernelW) {
      super("PoolOptions", 0);
      this.kernelH = kernelH;
      this.kernelW = kernelW;
    }

    /**
     * Count output positions with ceiling instead of floor division, as PyTorch's ceil_mode: a last, partial window
     * is kept if it starts inside the input or its left padding.
     */
    public Builder ceilMode(boolean ceil) {
      ceilMode = ceil;
      return this;
    }

    /** Average pooling: whether padded zeros count in the divisor (PyTorch's default true). */
    public Builder countIncludePad(boolean include) {
      countIncludePad = include;
      return this;
    }

    /** The options (the builder may go on to make more). */
    public PoolOptions build() {
      return new PoolOptions(this);
    }
  }
}
