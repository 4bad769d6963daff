package dev.autograd.nn.optim;

import dev.autograd.Value;
import dev.autograd.array.MutableArray;
import dev.autograd.array.NDArray;
import java.util.List;
import java.util.Set;

/**
 * Adam, and AdamW with {@link #adamW} (or {@code decoupledWeightDecay} on the builder). Per PyTorch: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², p ← p − lr·m̂/(√v̂ + ε)
 * with bias-corrected m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ). Adam's weight decay adds λ·p to the gradient (L2); AdamW's
 * is decoupled: p ← p·(1 − lr·λ) before the update.
 */
public final class Adam extends Optimizer {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final boolean decoupled;

  public Adam(List<Value> params, double lr) {
    this(params, lr, 0.9, 0.999, 1e-8, 0, false);
  }

  private Adam(List<Value> params, double lr, double beta1, double beta2, double eps, double weightDecay,
      boolean decoupled) {
    super(params, lr);
    checkHyper("Adam", "beta1", beta1, 0, 1 - 1e-12);
    checkHyper("Adam", "beta2", beta2, 0, 1 - 1e-12);
    checkHyper("Adam", "eps", eps, 0, 1);
    checkHyper("Adam", "weight decay", weightDecay, 0, Double.MAX_VALUE);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.decoupled = decoupled;
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
  public static final class Builder extends Optimizer.Builder<Builder, Adam> {
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double eps = 1e-8;
    private boolean decoupled;

    private Builder(List<Value> params) {
      super(params, 1e-3);
    }

    public Builder betas(double beta1, double beta2) {
      this.beta1 = beta1;
      this.beta2 = beta2;
      return this;
    }

    public Builder eps(double eps) {
      this.eps = eps;
      return this;
    }

    /** True: AdamW's p ← p·(1 − lr·λ) before the step; false: λ·p added to the gradient (L2). */
    public Builder decoupledWeightDecay(boolean decoupled) {
      this.decoupled = decoupled;
      return this;
    }

    @Override
    public Adam build() {
      return new Adam(params, lr, beta1, beta2, eps, weightDecay, decoupled);
    }
  }

  @Override
  protected Set<String> bufferNames() {
    return Set.of("m", "v");
  }

  @Override
  protected void update(int i, MutableArray p, NDArray grad, int step) {
    double lr = learningRate();
    NDArray g = grad;
    if (weightDecay > 0) {
      if (decoupled) {
        p.scale(1 - lr * weightDecay);
      } else {
        g = g.add(p.view().mul(weightDecay));
      }
    }
    NDArray zeros = null;
    MutableArray m = buffer("m", i);
    MutableArray v = buffer("v", i);
    if (m == null) {
      zeros = NDArray.zeros(p.shape());
      m = buffer("m", i, zeros);
      v = buffer("v", i, zeros);
    }
    m.scaleAdd(beta1, 1 - beta1, g);
    v.addProduct(beta2, 1 - beta2, g, g);
    double biasCorrection1 = 1 - Math.pow(beta1, step);
    double biasCorrection2 = 1 - Math.pow(beta2, step);
    // p ← p − lr·m̂/(√v̂ + ε) with m̂ = m/bc₁, √v̂ = √v/√bc₂ (PyTorch's arrangement)
    p.addRatio(-lr / biasCorrection1, m.view(), v.view(), 1 / Math.sqrt(biasCorrection2), eps);
  }
}
