package dev.autograd.nn;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.autograd.Conv;
import dev.autograd.PoolOptions;
import dev.autograd.Value;
import dev.autograd.array.Shapes;

/** Pooling layers over {@code [N, C, H, W]} (or unbatched {@code [C, H, W]}), as PyTorch's {@code nn} modules. */
public final class Pooling {
  private Pooling() {}

  /** A fixed-window pooling layer: its options and the functional op it applies. */
  private abstract static class WindowPool extends Module {
    final PoolOptions options;

    WindowPool(PoolOptions options) {
      this.options = checkNotNull(options, "options");
    }

    @Override
    protected String describe() {
      return getClass().getSimpleName() + "(" + options + ")";
    }
  }

  /** PyTorch's {@code nn.MaxPool2d}; ties in a window send the gradient to the first maximum, as PyTorch. */
  public static final class MaxPool2d extends WindowPool {
    /** Kernel and stride {@code kernelSize}, no padding. */
    public MaxPool2d(int kernelSize) {
      super(PoolOptions.of(kernelSize));
    }

    public MaxPool2d(PoolOptions options) {
      super(options);
    }

    @Override
    public Value forward(Value x) {
      return Conv.maxPool2d(x, options);
    }
  }

  /** PyTorch's {@code nn.AvgPool2d} (padding counts toward the mean unless {@code countIncludePad(false)}). */
  public static final class AvgPool2d extends WindowPool {
    /** Kernel and stride {@code kernelSize}, no padding. */
    public AvgPool2d(int kernelSize) {
      super(PoolOptions.of(kernelSize));
    }

    public AvgPool2d(PoolOptions options) {
      super(options);
    }

    @Override
    public Value forward(Value x) {
      return Conv.avgPool2d(x, options);
    }
  }

  /**
   * PyTorch's {@code nn.AdaptiveAvgPool2d}: output cell (i, j) is the mean of rows ⌊i·H/h⌋ .. ⌈(i+1)·H/h⌉ − 1 and the
   * columns likewise, so any input size gives an {@code h × w} output. When h divides H and w divides W this is an
   * ordinary average pooling.
   */
  public static final class AdaptiveAvgPool2d extends Module {
    private final int outH;
    private final int outW;

    public AdaptiveAvgPool2d(int outputSize) {
      this(outputSize, outputSize);
    }

    public AdaptiveAvgPool2d(int outH, int outW) {
      checkArgument(outH > 0 && outW > 0, "AdaptiveAvgPool2d: output size must be positive, got %sx%s", outH, outW);
      this.outH = outH;
      this.outW = outW;
    }

    @Override
    public Value forward(Value x) {
      checkArgument(x.rank() == 3 || x.rank() == 4, "AdaptiveAvgPool2d: input must be [N, C, H, W] or [C, H, W], got "
          + "%s", Shapes.lazyFormat(x.shape()));
      int h = x.shape()[x.rank() - 2];
      int w = x.shape()[x.rank() - 1];
      checkArgument(h > 0 && w > 0, "AdaptiveAvgPool2d: empty input %s", Shapes.lazyFormat(x.shape()));
      if (h % outH == 0 && w % outW == 0) {
        return Conv.avgPool2d(x, PoolOptions.builder(h / outH, w / outW).build());
      }
      int hAxis = x.rank() - 2;
      Value[] rows = new Value[outH];
      for (int i = 0; i < outH; i++) {
        Value band = x.slice(hAxis, i * h / outH, ceilDiv((i + 1) * h, outH));
        Value[] cells = new Value[outW];
        for (int j = 0; j < outW; j++) {
          cells[j] = band.slice(hAxis + 1, j * w / outW, ceilDiv((j + 1) * w, outW)).mean(new int[] {hAxis, hAxis + 1},
              true);
        }
        rows[i] = Value.concat(hAxis + 1, cells);
      }
      return Value.concat(hAxis, rows);
    }

    private static int ceilDiv(int a, int b) {
      return (a + b - 1) / b;
    }

    @Override
    protected String describe() {
      return "AdaptiveAvgPool2d(" + outH + "x" + outW + ")";
    }
  }
}
