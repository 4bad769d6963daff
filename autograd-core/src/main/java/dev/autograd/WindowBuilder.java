package dev.autograd;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The settings that {@link ConvOptions} and {@link PoolOptions} share, each a (height, width) pair: stride, padding
 * and dilation. A one-number setter sets both axes (what a 1-d op needs). Every setter checks its values at once.
 */
public abstract class WindowBuilder<B extends WindowBuilder<B>> {
  private final String owner;
  int strideH;
  int strideW;
  int padH;
  int padW;
  int dilationH = 1;
  int dilationW = 1;

  WindowBuilder(String owner, int defaultStride) {
    this.owner = owner;
    this.strideH = defaultStride;
    this.strideW = defaultStride;
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /** The same stride for both axes. */
  public final B stride(int s) {
    return stride(s, s);
  }

  /**
   * Step between windows along each axis.
   *
   * @throws IllegalArgumentException unless both are positive
   */
  public final B stride(int h, int w) {
    checkArgument(h > 0 && w > 0, "%s: stride must be positive, got %sx%s", owner, h, w);
    strideH = h;
    strideW = w;
    return self();
  }

  /** The same padding for both axes. */
  public final B padding(int p) {
    return padding(p, p);
  }

  /**
   * Implicit padding on both sides of each axis: zeros for convolutions and average pooling, −∞ for max pooling,
   * where it may be at most half the kernel size, as in PyTorch.
   *
   * @throws IllegalArgumentException if negative
   */
  public final B padding(int h, int w) {
    checkArgument(h >= 0 && w >= 0, "%s: padding must be >= 0, got %sx%s", owner, h, w);
    padH = h;
    padW = w;
    return self();
  }

  /** The same dilation for both axes. */
  public final B dilation(int d) {
    return dilation(d, d);
  }

  /**
   * Spacing between kernel taps (for pooling, max pooling only).
   *
   * @throws IllegalArgumentException unless both are positive
   */
  public final B dilation(int h, int w) {
    checkArgument(h > 0 && w > 0, "%s: dilation must be positive, got %sx%s", owner, h, w);
    dilationH = h;
    dilationW = w;
    return self();
  }
}
