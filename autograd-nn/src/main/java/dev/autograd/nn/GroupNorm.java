package dev.autograd.nn;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.Value;
import dev.autograd.array.NDArray;
import dev.autograd.array.Shapes;

/**
 * Group normalisation (PyTorch's {@code nn.GroupNorm(num_groups, num_channels, eps=1e-5, affine=True)}): the channels
 * of an {@code [N, C, *]} input are split into {@code numGroups} consecutive groups and each sample's group is
 * normalised over its channels and positions with the biased variance; then a per-channel scale {@code weight} (ones)
 * and shift {@code bias} (zeros) when {@code affine}. The same in training and evaluation mode.
 */
public final class GroupNorm extends Module {
  private final int numGroups;
  private final int numChannels;
  private final double eps;
  private final Value weight;
  private final Value bias;

  /** With eps 1e-5 and affine, PyTorch's defaults. */
  public GroupNorm(int numGroups, int numChannels) {
    this(numGroups, numChannels, 1e-5, true);
  }

  /** @throws IllegalArgumentException unless {@code numGroups} is positive and divides {@code numChannels} */
  public GroupNorm(int numGroups, int numChannels, double eps, boolean affine) {
    checkArgument(numGroups > 0 && numChannels > 0, "GroupNorm: numGroups and numChannels must be positive, got %s "
        + "and %s", numGroups, numChannels);
    checkArgument(numChannels % numGroups == 0, "GroupNorm: numChannels (%s) must be divisible by numGroups (%s)",
        numChannels, numGroups);
    checkArgument(eps >= 0 && Double.isFinite(eps), "GroupNorm: eps must be finite and >= 0, got %s", eps);
    this.numGroups = numGroups;
    this.numChannels = numChannels;
    this.eps = eps;
    this.weight = affine ? registerParameter("weight", NDArray.ones(numChannels)) : null;
    this.bias = affine ? registerParameter("bias", NDArray.zeros(numChannels)) : null;
  }

  /** @throws IllegalArgumentException unless the input is {@code [N, numChannels, *]} with rank at least 2 */
  @Override
  public Value forward(Value x) {
    int[] s = x.shape();
    checkArgument(s.length >= 2 && s[1] == numChannels, "GroupNorm: expected an input [N, %s, *], got shape %s",
        numChannels, Shapes.lazyFormat(s));
    Value grouped = x.reshape(s[0], numGroups, -1);
    Value y = Normalize.standardize(grouped, new int[] {2}, eps).reshape(s);
    if (weight == null) {
      return y;
    }
    int[] channelShape = new int[s.length];
    java.util.Arrays.fill(channelShape, 1);
    channelShape[1] = numChannels;
    return y.mul(weight.reshape(channelShape)).add(bias.reshape(channelShape));
  }

  /** The per-channel scale, or {@code null} without affine. */
  public Value weight() {
    return weight;
  }

  /** The per-channel shift, or {@code null} without affine. */
  public Value bias() {
    return bias;
  }

  @Override
  protected String describe() {
    return "GroupNorm(" + numGroups + ", " + numChannels + ", eps=" + eps + ", affine=" + (weight != null) + ")";
  }
}
