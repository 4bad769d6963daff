package dev.autograd.nn.optim;

import dev.autograd.Value;
import java.util.List;

/**
 * The options the Adam family ({@link Adam}, {@link Adamax}, {@link NAdam}, {@link RAdam}) shares, with PyTorch's
 * defaults: {@code betas} (0.9, 0.999), the decay rates of the first and second moment estimates, and {@code eps}
 * 1e-8, added to the denominator.
 */
public abstract class MomentBuilder<B extends MomentBuilder<B, O>, O extends Optimizer>
    extends Optimizer.Builder<B, O> {
  protected double beta1 = 0.9;
  protected double beta2 = 0.999;
  protected double eps = 1e-8;

  protected MomentBuilder(List<Value> params, double defaultLr) {
    super(params, defaultLr);
  }

  /** β₁ and β₂, each in [0, 1). */
  public final B betas(double beta1, double beta2) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    return self();
  }

  /** ε ≥ 0, added to the denominator for numerical stability. */
  public final B eps(double eps) {
    this.eps = eps;
    return self();
  }

  /** Checks betas and eps, naming the optimizer {@code kind}. */
  final void checkMoments(String kind) {
    Optimizer.checkHyper(kind, "beta1", beta1, 0, 1 - 1e-12);
    Optimizer.checkHyper(kind, "beta2", beta2, 0, 1 - 1e-12);
    Optimizer.checkHyper(kind, "eps", eps, 0, 1);
  }
}
