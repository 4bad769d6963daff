package dev.autograd.nn;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.Value;
import dev.autograd.array.NDArray;
import java.util.SplittableRandom;

/**
 * Inverted dropout: in training mode each element is zeroed with probability p and the rest scaled by 1/(1−p), so
 * evaluation mode is the identity. Masks come from the module's own seeded generator.
 */
public final class Dropout extends Module {
  private final double p;
  private final SplittableRandom rng;

  public Dropout(double p, long seed) {
    checkArgument(p >= 0 && p < 1, "Dropout: p must be in [0, 1), got %s", p);
    this.p = p;
    this.rng = new SplittableRandom(seed);
  }

  @Override
  public Value forward(Value x) {
    if (!isTraining() || p == 0) {
      return x;
    }
    NDArray keep = NDArray.rand(rng, x.shape()).ge(NDArray.scalar(p)).mul(1.0 / (1.0 - p));
    return x.mul(Value.of(keep));
  }

  @Override
  protected String describe() {
    return "Dropout(p=" + p + ")";
  }
}
