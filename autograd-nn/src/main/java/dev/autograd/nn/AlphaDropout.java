package dev.autograd.nn;

import dev.autograd.Value;
import dev.autograd.array.NDArray;
import java.util.SplittableRandom;

/**
 * Dropout for SELU networks (PyTorch's {@code nn.AlphaDropout}): in training mode each element is replaced with
 * probability p by SELU's negative saturation value α' = −λα, then an affine map a·x + b restores zero mean and unit
 * variance for standard normal inputs, with a = ((1 − p)(1 + p·α'²))^(−1/2) and b = −a·α'·p. Evaluation mode is the
 * identity.
 */
public final class AlphaDropout extends Module {
  private static final double ALPHA_PRIME = -Activations.SELU.ALPHA * Activations.SELU.SCALE;
  private final double p;
  private final SplittableRandom rng;

  /** @param seed seeds the module's own mask generator */
  public AlphaDropout(double p, long seed) {
    this.p = Dropout.checkP("AlphaDropout", p);
    this.rng = new SplittableRandom(seed);
  }

  @Override
  public Value forward(Value x) {
    if (!isTraining() || p == 0) {
      return x;
    }
    if (p == 1) { // everything dropped: zeros, as PyTorch (the affine correction below is undefined there)
      return x.mul(0.0);
    }
    double a = 1.0 / Math.sqrt((ALPHA_PRIME * ALPHA_PRIME * p + 1) * (1 - p));
    NDArray keep = NDArray.rand(rng, x.shape()).ge(NDArray.scalar(p)).to(x.dtype());
    // dropped: a·α' + b; kept: a·x + b
    NDArray shift = keep.sub(1.0).mul(-a * ALPHA_PRIME).add(-a * ALPHA_PRIME * p);
    return x.mul(Value.of(keep.mul(a))).add(Value.of(shift));
  }

  @Override
  protected String describe() {
    return "AlphaDropout(p=" + p + ")";
  }
}
