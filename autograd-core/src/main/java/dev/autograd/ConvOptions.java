package dev.autograd;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The settings of {@link Conv#conv1d}, {@link Conv#conv2d}, {@link Conv#convTranspose2d}, {@link Conv#unfold} and
 * {@link Conv#fold}, named as PyTorch's arguments: stride, padding (zeros on each side), dilation, groups and
 * outputPadding, each a (height, width) pair. Immutable; build with
 * {@code ConvOptions.builder().stride(2).padding(1).build()}. A one-number setter sets both axes; 1-d ops need
 * both axes equal. Defaults: stride 1, padding 0, dilation 1, groups 1, outputPadding 0.
 */
public final class ConvOptions {
  /** All defaults. */
  public static final ConvOptions DEFAULT = builder().build();

  final int strideH;
  final int strideW;
  final int padH;
  final int padW;
  final int dilationH;
  final int dilationW;
  final int groups;
  final int outputPadH;
  final int outputPadW;

  private ConvOptions(Builder b) {
    this.strideH = b.strideH;
    this.strideW = b.strideW;
    this.padH = b.padH;
    this.padW = b.padW;
    this.dilationH = b.dilationH;
    this.dilationW = b.dilationW;
    this.groups = b.groups;
    this.outputPadH = b.outputPadH;
    this.outputPadW = b.outputPadW;
  }

  /** The number of groups: input and output channels are split into this many independent convolutions. */
  public int groups() {
    return groups;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings, for changing a few of them. */
  public Builder toBuilder() {
    return builder().stride(strideH, strideW).padding(padH, padW).dilation(dilationH, dilationW).groups(groups)
        .outputPadding(outputPadH, outputPadW);
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "ConvOptions(stride=%sx%s, padding=%sx%s, dilation=%sx%s, groups=%s, "
        + "outputPadding=%sx%s)", strideH, strideW, padH, padW, dilationH, dilationW, groups, outputPadH, outputPadW);
  }

  /** Value of a 1-d op: the two axes must agree (a one-number setter was used). */
  static int single(String op, String what, int h, int w) {
    checkArgument(h == w, "%s: %s must be one number for a 1-d op, got %sx%s", op, what, h, w);
    return w;
  }

  /** Mutable builder; every setter checks its values at once. */
  public static final class Builder extends WindowBuilder<Builder> {
    private int groups = 1;
    private int outputPadH;
    private int outputPadW;

    private Builder() {
      super("ConvOptions", 1);
    }

    /**
     * Channel groups; must divide the input and output channels.
     *
     * @throws IllegalArgumentException unless > 0
     */
    public Builder groups(int g) {
      checkArgument(g > 0, "ConvOptions: groups must be positive, got %s", g);
      groups = g;
      return this;
    }

    /** The same outputPadding for both axes (what a 1-d op needs). */
    public Builder outputPadding(int p) {
      return outputPadding(p, p);
    }

    /**
     * Extra rows and columns at the bottom and right of a transposed convolution's output (convTranspose2d only);
     * must be smaller than the stride or the dilation of its axis.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder outputPadding(int h, int w) {
      checkArgument(h >= 0 && w >= 0, "ConvOptions: outputPadding must be >= 0, got %sx%s", h, w);
      outputPadH = h;
      outputPadW = w;
      return this;
    }

    /** The options (the builder may go on to make more). */
    public ConvOptions build() {
      return new ConvOptions(this);
    }
  }
}
