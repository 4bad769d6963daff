package dev.autograd.nn.optim;

import dev.autograd.Value;
import dev.autograd.array.MutableArray;
import dev.autograd.array.NDArray;
import java.util.List;
import java.util.Set;

/**
 * RMSProp as in PyTorch: v ← αv + (1−α)g²; with momentum μ: b ← μb + g/(√v + ε), p ← p − lr·b; without:
 * p ← p − lr·g/(√v + ε). Weight decay adds λ·p to the gradient.
 */
public final class RMSProp extends Optimizer {
  private final double alpha;
  private final double eps;
  private final double momentum;
  private final double weightDecay;

  public RMSProp(List<Value> params, double lr) {
    this(params, lr, 0.99, 1e-8, 0, 0);
  }

  /** {@code RMSProp.builder(params).lr(0.01).alpha(0.9).momentum(0.5).build()}. */
  public static Builder builder(List<Value> params) {
    return new Builder(params);
  }

  /** Named options for {@link RMSProp}, with PyTorch's defaults (lr 0.01, alpha 0.99, eps 1e-8). */
  public static final class Builder extends Optimizer.Builder<Builder, RMSProp> {
    private double alpha = 0.99;
    private double eps = 1e-8;
    private double momentum;

    private Builder(List<Value> params) {
      super(params, 0.01);
    }

    public Builder alpha(double alpha) {
      this.alpha = alpha;
      return this;
    }

    public Builder eps(double eps) {
      this.eps = eps;
      return this;
    }

    public Builder momentum(double momentum) {
      this.momentum = momentum;
      return this;
    }

    @Override
    public RMSProp build() {
      return new RMSProp(params, lr, alpha, eps, momentum, weightDecay);
    }
  }

  private RMSProp(List<Value> params, double lr, double alpha, double eps, double momentum, double weightDecay) {
    super(params, lr);
    checkHyper("RMSProp", "alpha", alpha, 0, 1);
    checkHyper("RMSProp", "eps", eps, 0, 1);
    checkHyper("RMSProp", "momentum", momentum, 0, 1);
    checkHyper("RMSProp", "weight decay", weightDecay, 0, Double.MAX_VALUE);
    this.alpha = alpha;
    this.eps = eps;
    this.momentum = momentum;
    this.weightDecay = weightDecay;
  }

  @Override
  protected Set<String> bufferNames() {
    return Set.of("square_avg", "momentum");
  }

  @Override
  protected void update(int i, MutableArray p, NDArray grad, int step) {
    NDArray g = weightDecay == 0 ? grad : grad.add(p.view().mul(weightDecay));
    MutableArray v = buffer("square_avg", i);
    if (v == null) {
      v = buffer("square_avg", i, NDArray.zeros(p.shape()));
    }
    v.addProduct(alpha, 1 - alpha, g, g);
    if (momentum == 0) {
      p.addRatio(-learningRate(), g, v.view(), 1, eps);
      return;
    }
    MutableArray b = buffer("momentum", i);
    if (b == null) {
      b = buffer("momentum", i, NDArray.zeros(p.shape()));
    }
    b.scale(momentum).addRatio(1, g, v.view(), 1, eps);
    p.scaleAdd(1, -learningRate(), b.view());
  }
}
