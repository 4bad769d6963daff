package dev.autograd.nn.optim;

import dev.autograd.Value;
import dev.autograd.array.MutableArray;
import dev.autograd.array.NDArray;
import java.util.List;
import java.util.Set;

/**
 * Adamax (Adam with the infinity norm) as PyTorch's {@code torch.optim.Adamax}: g ← ∇ + λ·p; m ← β₁m + (1−β₁)g;
 * u ← max(β₂u, |g| + ε); p ← p − lr/(1−β₁ᵗ) · m/u, t the parameter's own step count.
 */
public final class Adamax extends MomentOptimizer<Adamax.Builder> {

  /** {@code Adamax.builder(params).lr(2e-3).betas(0.9, 0.999).build()}. */
  public static Builder builder(List<Value> params) {
    return new Builder(params);
  }

  /** Named options with PyTorch's defaults: lr 2e-3, betas 0.9 and 0.999, eps 1e-8. */
  public static final class Builder extends MomentBuilder<Builder, Adamax> {

    private Builder(List<Value> params) {
      super(params, 2e-3);
    }

    @Override
    public Adamax build() {
      return new Adamax(groups());
    }
  }

  private Adamax(List<Builder> groups) {
    super("Adamax", groups);
  }

  @Override
  protected Set<String> bufferNames() {
    return Set.of("exp_avg", "exp_inf");
  }

  @Override
  protected void update(int i, MutableArray p, NDArray grad, int step) {
    Builder o = options(i);
    NDArray g = withWeightDecay(i, p, grad);
    MutableArray m = buffer("exp_avg", i, 0.0);
    MutableArray u = buffer("exp_inf", i, 0.0);
    m.scaleAdd(o.beta1, 1 - o.beta1, g);
    u.set(u.view().mul(o.beta2).maximum(g.abs().add(o.eps)));
    double clr = lr(i) / (1 - Math.pow(o.beta1, step));
    p.set(p.view().sub(m.view().div(u.view()).mul(clr)));
  }
}
