package dev.autograd.nn;

import dev.autograd.Value;

/** The normalisation shared by the norm layers. */
final class Normalize {
  private Normalize() {}

  /** (x − mean) / √(var + eps) over {@code axes}, with the biased variance, differentiable through both statistics. */
  static Value standardize(Value x, int[] axes, double eps) {
    Value centered = x.sub(x.mean(axes, true));
    return centered.mul(centered.square().mean(axes, true).add(eps).rsqrt());
  }
}
