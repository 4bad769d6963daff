package dev.autograd.nn;

import dev.autograd.Conv;
import dev.autograd.ConvOptions;
import dev.autograd.Value;
import java.util.random.RandomGenerator;

/**
 * PyTorch's {@code nn.Conv2d}: inputs {@code [N, C, H, W]} or unbatched {@code [C, H, W]}; stride, padding, dilation
 * and groups in {@link ConvOptions}; PyTorch's initialisation.
 */
public final class Conv2d extends ConvLayer {
  /** A square kernel, stride 1, no padding, with bias. */
  public Conv2d(int inChannels, int outChannels, int kernelSize, RandomGenerator rng) {
    this(inChannels, outChannels, kernelSize, kernelSize, ConvOptions.DEFAULT, true, rng);
  }

  /** A square kernel with the given options, with bias. */
  public Conv2d(int inChannels, int outChannels, int kernelSize, ConvOptions options, RandomGenerator rng) {
    this(inChannels, outChannels, kernelSize, kernelSize, options, true, rng);
  }

  /** @throws IllegalArgumentException for non-positive sizes, or groups that do not divide both channel counts */
  public Conv2d(int inChannels, int outChannels, int kernelH, int kernelW, ConvOptions options, boolean withBias,
      RandomGenerator rng) {
    super("Conv2d", inChannels, outChannels, new int[] {kernelH, kernelW}, options, withBias, rng);
  }

  @Override
  public Value forward(Value x) {
    return Conv.conv2d(x, weight, bias, options);
  }
}
