package dev.autograd.nn.optim;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.Value;
import java.util.List;

/** Gradient clipping, applied between {@code backward()} and {@code step()}. */
public final class GradClip {
  private GradClip() {}

  /**
   * Scales all gradients together so their global L2 norm is at most {@code maxNorm} (PyTorch's
   * {@code clip_grad_norm_}, with its 1e-6 guard). Returns the norm before clipping.
   */
  public static double byGlobalNorm(List<Value> params, double maxNorm) {
    checkArgument(maxNorm > 0, "byGlobalNorm: maxNorm must be > 0, got %s", maxNorm);
    double sumSquares = 0;
    for (Value p : params) {
      if (p.grad() != null) {
        sumSquares += p.grad().mul(p.grad()).sum().item();
      }
    }
    double norm = Math.sqrt(sumSquares);
    double coefficient = maxNorm / (norm + 1e-6);
    if (coefficient < 1) {
      for (Value p : params) {
        if (p.grad() != null) {
          p.setGrad(p.grad().mul(coefficient));
        }
      }
    }
    return norm;
  }

  /** Limits every gradient element to [−clip, clip]. */
  public static void byValue(List<Value> params, double clip) {
    checkArgument(clip > 0, "byValue: clip must be > 0, got %s", clip);
    for (Value p : params) {
      if (p.grad() != null) {
        p.setGrad(p.grad().clamp(-clip, clip));
      }
    }
  }
}
