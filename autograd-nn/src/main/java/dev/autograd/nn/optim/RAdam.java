package dev.autograd.nn.optim;

import dev.autograd.Value;
import dev.autograd.array.MutableArray;
import dev.autograd.array.NDArray;
import java.util.List;
import java.util.Set;

/**
 * Rectified Adam as PyTorch's {@code torch.optim.RAdam}: Adam's moments m and v (L2 weight decay added to the
 * gradient), ρ∞ = 2/(1−β₂) − 1, ρₜ = ρ∞ − 2t·β₂ᵗ/(1−β₂ᵗ); while ρₜ ≤ 5 the step is plain momentum
 * p ← p − lr·m̂; after, p ← p − lr·m̂·r·√(1−β₂ᵗ)/(√v + ε) with the rectification
 * r = √((ρₜ−4)(ρₜ−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρₜ)); t is the parameter's own step count.
 */
public final class RAdam extends MomentOptimizer<RAdam.Builder> {

  /** {@code RAdam.builder(params).lr(1e-3).betas(0.9, 0.999).build()}. */
  public static Builder builder(List<Value> params) {
    return new Builder(params);
  }

  /** Named options with PyTorch's defaults: lr 1e-3, betas 0.9 and 0.999, eps 1e-8. */
  public static final class Builder extends MomentBuilder<Builder, RAdam> {

    private Builder(List<Value> params) {
      super(params, 1e-3);
    }

    @Override
    public RAdam build() {
      return new RAdam(groups());
    }
  }

  private RAdam(List<Builder> groups) {
    super("RAdam", groups);
  }

  @Override
  protected Set<String> bufferNames() {
    return Set.of("exp_avg", "exp_avg_sq");
  }

  @Override
  protected void update(int i, MutableArray p, NDArray grad, int step) {
    Builder o = options(i);
    NDArray g = withWeightDecay(i, p, grad);
    MutableArray[] moments = updatedMoments(i, g);
    MutableArray m = moments[0];
    MutableArray v = moments[1];
    double bc1 = 1 - Math.pow(o.beta1, step);
    double bc2 = 1 - Math.pow(o.beta2, step);
    double rhoInf = 2 / (1 - o.beta2) - 1;
    double rhoT = rhoInf - 2 * step * Math.pow(o.beta2, step) / bc2;
    double lr = lr(i);
    if (rhoT > 5) {
      double rect = Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
      // lr·m̂·r·√bc₂/(√v + ε) = (lr·r·√bc₂/bc₁)·m/(√v + ε)
      p.addRatio(-lr * rect * Math.sqrt(bc2) / bc1, m.view(), v.view(), 1, o.eps);
    } else {
      p.scaleAdd(1, -lr / bc1, m.view());
    }
  }
}
