package dev.autograd.nn.optim;

import dev.autograd.Value;
import dev.autograd.array.MutableArray;
import dev.autograd.array.NDArray;
import java.util.List;
import java.util.Set;

/**
 * Adam, and AdamW with {@link #adamW} (or {@code decoupledWeightDecay} on the builder), as PyTorch's
 * {@code torch.optim.Adam}/{@code AdamW}: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², p ← p − lr·m̂/(√v̂ + ε) with
 * bias-corrected m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ), t the parameter's own step count. With {@code amsgrad} the
 * denominator uses the running maximum of v (buffer {@code max_exp_avg_sq}). Adam's weight decay adds λ·p to the
 * gradient (L2); AdamW's is decoupled: p ← p·(1 − lr·λ) before the update.
 */
public final class Adam extends MomentOptimizer<Adam.Builder> {

  public Adam(List<Value> params, double lr) {
    this(builder(params).lr(lr).groups());
  }

  private Adam(List<Builder> groups) {
    super("Adam", groups);
  }

  /**
   * {@code Adam.builder(params).lr(1e-3).betas(0.9, 0.999).weightDecay(0.01).decoupledWeightDecay(true).build()};
   * with decoupled weight decay this is AdamW.
   */
  public static Builder builder(List<Value> params) {
    return new Builder(params);
  }

  /** AdamW's options: decoupled weight decay with PyTorch's default λ = 0.01. */
  public static Builder adamW(List<Value> params) {
    return new Builder(params).weightDecay(0.01).decoupledWeightDecay(true);
  }

  /** Named options for {@link Adam}, with PyTorch's defaults (lr 1e-3, betas 0.9 and 0.999, eps 1e-8). */
  public static final class Builder extends MomentBuilder<Builder, Adam> {
    private boolean decoupled;
    private boolean amsgrad;

    private Builder(List<Value> params) {
      super(params, 1e-3);
    }

    /** True: AdamW's p ← p·(1 − lr·λ) before the step; false: λ·p added to the gradient (L2). */
    public Builder decoupledWeightDecay(boolean decoupled) {
      this.decoupled = decoupled;
      return this;
    }

    /** AMSGrad: divide by the square root of the largest v so far (bias-corrected) instead of the current v. */
    public Builder amsgrad(boolean amsgrad) {
      this.amsgrad = amsgrad;
      return this;
    }

    @Override
    public Adam build() {
      return new Adam(groups());
    }
  }

  @Override
  protected Set<String> bufferNames() {
    return Set.of("m", "v", "max_exp_avg_sq");
  }

  @Override
  protected void update(int i, MutableArray p, NDArray grad, int step) {
    Builder o = options(i);
    double lr = lr(i);
    double wd = weightDecay(i);
    NDArray g = grad;
    if (wd > 0) {
      if (o.decoupled) {
        p.scale(1 - lr * wd);
      } else {
        g = g.add(p.view().mul(wd));
      }
    }
    MutableArray m = buffer("m", i, 0.0);
    MutableArray v = buffer("v", i, 0.0);
    m.scaleAdd(o.beta1, 1 - o.beta1, g);
    v.addProduct(o.beta2, 1 - o.beta2, g, g);
    double biasCorrection1 = 1 - Math.pow(o.beta1, step);
    double biasCorrection2 = 1 - Math.pow(o.beta2, step);
    MutableArray den = v;
    if (o.amsgrad) {
      den = buffer("max_exp_avg_sq", i, 0.0);
      den.set(den.view().maximum(v.view()));
    }
    // p ← p − lr·m̂/(√v̂ + ε) with m̂ = m/bc₁, √v̂ = √v/√bc₂ (PyTorch's arrangement)
    p.addRatio(-lr / biasCorrection1, m.view(), den.view(), 1 / Math.sqrt(biasCorrection2), o.eps);
  }
}
