package dev.autograd.nn.optim;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.Value;
import java.util.List;

/** Gradient clipping, applied between {@code backward()} and {@code step()}. */
public final class GradClip {
  private GradClip() {}

  /** {@link #byNorm} with the L2 norm and no error on a non-finite norm (PyTorch's defaults). */
  public static double byGlobalNorm(List<Value> params, double maxNorm) {
    return byNorm(params, maxNorm, 2.0, false);
  }

  /**
   * PyTorch's {@code clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite)}: the p-norm of all
   * gradients together (as if concatenated; p = ∞ is the largest |g|), then every gradient is multiplied by
   * min(1, maxNorm/(norm + 1e-6)). Parameters without a gradient are skipped; with none, the norm is 0. Returns the
   * norm before clipping. A non-finite norm either throws ({@code errorIfNonfinite}) or, as in PyTorch, goes into
   * the coefficient (an infinite norm zeroes the finite gradients, a NaN one makes every gradient NaN).
   *
   * @throws IllegalArgumentException if maxNorm is negative or NaN, or normType is not > 0
   * @throws IllegalStateException if the norm is not finite and {@code errorIfNonfinite}
   */
  public static double byNorm(List<Value> params, double maxNorm, double normType, boolean errorIfNonfinite) {
    checkArgument(maxNorm >= 0, "byNorm: maxNorm must be >= 0, got %s", maxNorm);
    checkArgument(normType > 0, "byNorm: normType must be > 0 (or infinity), got %s", normType);
    double largest = 0;
    boolean any = false;
    boolean nan = false;
    for (Value p : params) {
      if (p.grad() != null) {
        any = true;
        for (double g : p.grad().toArray()) {
          nan |= Double.isNaN(g);
          largest = Math.max(largest, Math.abs(g));
        }
      }
    }
    if (!any) {
      return 0;
    }
    double norm;
    if (nan) {
      norm = Double.NaN;
    } else if (normType == Double.POSITIVE_INFINITY || largest == 0 || largest == Double.POSITIVE_INFINITY) {
      norm = largest;
    } else { // scaled by the largest element so that neither |g|^p overflows nor small gradients underflow
      double sum = 0;
      for (Value p : params) {
        if (p.grad() != null) {
          for (double g : p.grad().toArray()) {
            sum += Math.pow(Math.abs(g) / largest, normType);
          }
        }
      }
      norm = largest * Math.pow(sum, 1 / normType);
    }
    if (errorIfNonfinite && !Double.isFinite(norm)) {
      throw new IllegalStateException("byNorm: the total norm of order " + normType + " of the gradients is "
          + "non-finite (" + norm + "), so it cannot be clipped");
    }
    double coefficient = Math.min(maxNorm / (norm + 1e-6), 1.0);
    if (!(coefficient == 1.0)) { // NaN included
      for (Value p : params) {
        if (p.grad() != null) {
          p.setGrad(p.grad().mul(coefficient));
        }
      }
    }
    return norm;
  }

  /** Limits every gradient element to [−clip, clip] (PyTorch's {@code clip_grad_value_}). */
  public static void byValue(List<Value> params, double clip) {
    checkArgument(clip > 0, "byValue: clip must be > 0, got %s", clip);
    for (Value p : params) {
      if (p.grad() != null) {
        p.setGrad(p.grad().clamp(-clip, clip));
      }
    }
  }

}
