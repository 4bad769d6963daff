package dev.autograd.nn;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.Value;
import dev.autograd.array.Shapes;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Dropout of whole channels (PyTorch's {@code Dropout1d}, {@code Dropout2d}): in training mode each channel of each
 * sample is zeroed with probability p and the others scaled by 1/(1−p); evaluation mode is the identity. Inputs are
 * {@code [N, C, *spatial]} or unbatched {@code [C, *spatial]} with {@code spatialDims} trailing axes.
 */
abstract class ChannelDropout extends Module {
  private final double p;
  private final int spatialDims;
  private final SplittableRandom rng;

  ChannelDropout(double p, long seed, int spatialDims) {
    this.p = Dropout.checkP(getClass().getSimpleName(), p);
    this.spatialDims = spatialDims;
    this.rng = new SplittableRandom(seed);
  }

  /**
   * @throws IllegalArgumentException if the input's rank is not {@code spatialDims + 1} or {@code spatialDims + 2}
   */
  @Override
  public final Value forward(Value x) {
    checkArgument(x.rank() == spatialDims + 1 || x.rank() == spatialDims + 2,
        "%s: expected an input of rank %s (unbatched) or %s (batched), got shape %s", getClass().getSimpleName(),
        spatialDims + 1, spatialDims + 2, Shapes.lazyFormat(x.shape()));
    if (!isTraining() || p == 0) {
      return x;
    }
    int[] maskShape = x.shape().clone();
    Arrays.fill(maskShape, x.rank() - spatialDims, x.rank(), 1); // one draw per channel, broadcast over positions
    return x.mul(Value.of(Dropout.keepMask(rng, p, x.dtype(), maskShape)));
  }

  @Override
  protected final String describe() {
    return getClass().getSimpleName() + "(p=" + p + ")";
  }
}
