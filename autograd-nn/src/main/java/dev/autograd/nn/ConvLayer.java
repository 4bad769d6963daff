package dev.autograd.nn;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.ConvOptions;
import dev.autograd.Value;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * What {@link Conv1d} and {@link Conv2d} share: a weight {@code [out, in/groups, kernel...]} and a bias {@code [out]},
 * both initialised U(−1/√fanIn, 1/√fanIn) with fanIn = in/groups·(kernel area), PyTorch's default.
 */
abstract class ConvLayer extends Module {
  final ConvOptions options;
  final Value weight;
  final Value bias;
  private final String description;

  ConvLayer(String name, int inChannels, int outChannels, int[] kernel, ConvOptions options, boolean withBias,
      RandomGenerator rng) {
    checkArgument(inChannels > 0 && outChannels > 0 && Arrays.stream(kernel).allMatch(k -> k > 0),
        "%s: channels and kernel sizes must be positive, got in=%s, out=%s, kernel=%s", name, inChannels, outChannels,
        Arrays.toString(kernel));
    checkArgument(inChannels % options.groups() == 0 && outChannels % options.groups() == 0,
        "%s: groups=%s must divide in_channels=%s and out_channels=%s", name, options.groups(), inChannels,
        outChannels);
    this.options = options;
    int[] shape = new int[kernel.length + 2];
    shape[0] = outChannels;
    shape[1] = inChannels / options.groups();
    System.arraycopy(kernel, 0, shape, 2, kernel.length);
    int fanIn = shape[1] * Arrays.stream(kernel).reduce(1, Math::multiplyExact);
    this.weight = registerParameter("weight", Init.pytorchDefault().sample(rng, fanIn, outChannels, shape));
    this.bias = withBias ? registerParameter("bias", Init.pytorchDefault().sample(rng, fanIn, outChannels,
        outChannels)) : null;
    this.description = name + "(" + inChannels + " -> " + outChannels + ", kernel " + Arrays.toString(kernel) + ", "
        + options + (withBias ? ")" : ", no bias)");
  }

  public final Value weight() {
    return weight;
  }

  /** The bias, or {@code null}. */
  public final Value bias() {
    return bias;
  }

  @Override
  protected final String describe() {
    return description;
  }
}
