package dev.autograd.nn.optim;

import dev.autograd.Value;
import dev.autograd.array.MutableArray;
import dev.autograd.array.NDArray;
import java.util.List;
import java.util.Set;

/**
 * NAdam (Adam with Nesterov momentum) as PyTorch's {@code torch.optim.NAdam}: with t the parameter's own step count,
 * μₜ = β₁(1 − ½·0.96^(t·ψ)) (ψ the momentum decay, 4e-3), Πₜ = μ₁⋯μₜ; m and v as Adam's (L2 weight decay added to
 * the gradient); p ← p − lr·(1−μₜ)/(1−Πₜ) · g/d − lr·μₜ₊₁/(1−Πₜ·μₜ₊₁) · m/d with d = √(v/(1−β₂ᵗ)) + ε.
 *
 * <p>This is the algorithm of the NAdam paper and of PyTorch 2.x; PyTorch 1.13 multiplied μₜ into Πₜ₊₁ twice
 * (fixed in 2.0). The product Πₜ is a function of the step count, so it is recomputed from the saved step counts
 * rather than stored.
 */
public final class NAdam extends MomentOptimizer<NAdam.Builder> {
  /** Πₜ of each parameter for the step count in {@link #productStep} (a cache: derived from the step count). */
  private final double[] muProduct;
  private final int[] productStep;

  /** {@code NAdam.builder(params).lr(2e-3).momentumDecay(4e-3).build()}. */
  public static Builder builder(List<Value> params) {
    return new Builder(params);
  }

  /** Named options with PyTorch's defaults: lr 2e-3, betas 0.9 and 0.999, eps 1e-8, momentum decay 4e-3. */
  public static final class Builder extends MomentBuilder<Builder, NAdam> {
    private double momentumDecay = 4e-3;

    private Builder(List<Value> params) {
      super(params, 2e-3);
    }

    /** ψ in μₜ = β₁(1 − ½·0.96^(t·ψ)). */
    public Builder momentumDecay(double momentumDecay) {
      this.momentumDecay = momentumDecay;
      return this;
    }

    @Override
    public NAdam build() {
      return new NAdam(groups());
    }
  }

  private NAdam(List<Builder> groups) {
    super("NAdam", groups);
    for (Builder b : groups) {
      checkHyper("NAdam", "momentum decay", b.momentumDecay, 0, Double.MAX_VALUE);
    }
    this.muProduct = new double[parameters().size()];
    this.productStep = new int[muProduct.length];
    java.util.Arrays.fill(muProduct, 1.0);
  }

  private static double mu(Builder o, int t) {
    return o.beta1 * (1 - 0.5 * Math.pow(0.96, t * o.momentumDecay));
  }

  @Override
  protected Set<String> bufferNames() {
    return Set.of("exp_avg", "exp_avg_sq");
  }

  @Override
  protected void update(int i, MutableArray p, NDArray grad, int step) {
    Builder o = options(i);
    if (productStep[i] != step - 1) { // after a loaded state: rebuild Π from the step count
      muProduct[i] = 1;
      for (int t = 1; t < step; t++) {
        muProduct[i] *= mu(o, t);
      }
    }
    double mu = mu(o, step);
    double muNext = mu(o, step + 1);
    muProduct[i] *= mu;
    productStep[i] = step;
    double productNext = muProduct[i] * muNext;
    NDArray g = withWeightDecay(i, p, grad);
    MutableArray[] moments = updatedMoments(i, g);
    MutableArray m = moments[0];
    MutableArray v = moments[1];
    double scale = 1 / Math.sqrt(1 - Math.pow(o.beta2, step)); // √(v/bc₂) = √v/√bc₂
    double lr = lr(i);
    p.addRatio(-lr * (1 - mu) / (1 - muProduct[i]), g, v.view(), scale, o.eps);
    p.addRatio(-lr * muNext / (1 - productNext), m.view(), v.view(), scale, o.eps);
  }
}
