package dev.autograd.nn;

import dev.autograd.Conv;
import dev.autograd.ConvOptions;
import dev.autograd.Value;
import java.util.random.RandomGenerator;

/**
 * PyTorch's {@code nn.Conv1d}: inputs {@code [N, C, L]} or unbatched {@code [C, L]}; stride, padding, dilation and
 * groups in {@link ConvOptions}; PyTorch's initialisation.
 */
public final class Conv1d extends ConvLayer {
  /** Stride 1, no padding, with bias. */
  public Conv1d(int inChannels, int outChannels, int kernelSize, RandomGenerator rng) {
    this(inChannels, outChannels, kernelSize, ConvOptions.DEFAULT, true, rng);
  }

  /** @throws IllegalArgumentException for non-positive sizes, or groups that do not divide both channel counts */
  public Conv1d(int inChannels, int outChannels, int kernelSize, ConvOptions options, boolean withBias,
      RandomGenerator rng) {
    super("Conv1d", inChannels, outChannels, new int[] {kernelSize}, options, withBias, rng);
  }

  @Override
  public Value forward(Value x) {
    return Conv.conv1d(x, weight, bias, options);
  }
}
