package dev.autograd.nn;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.Value;
import dev.autograd.array.DType;
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
    this.p = checkP("Dropout", p);
    this.rng = new SplittableRandom(seed);
  }

  /** p in [0, 1]; p = 1 drops everything (zeros, as PyTorch), without a 1/(1−p) scale. */
  static double checkP(String layer, double p) {
    checkArgument(p >= 0 && p <= 1, "%s: p must be in [0, 1], got %s", layer, p);
    return p;
  }

  /**
   * A mask of {@code dtype} (the input's: a float64 mask would promote a float32 input) and {@code shape}: 1/(1−p)
   * where kept (probability 1−p), 0 where dropped; all 0 when p = 1. The draws do not depend on the dtype.
   */
  static NDArray keepMask(SplittableRandom rng, double p, DType dtype, int... shape) {
    if (p == 1) {
      return NDArray.zeros(dtype, shape);
    }
    return NDArray.rand(rng, shape).ge(NDArray.scalar(p)).to(dtype).mul(1.0 / (1.0 - p));
  }

  @Override
  public Value forward(Value x) {
    if (!isTraining() || p == 0) {
      return x;
    }
    return x.mul(Value.of(keepMask(rng, p, x.dtype(), x.shape())));
  }

  @Override
  protected String describe() {
    return "Dropout(p=" + p + ")";
  }
}
