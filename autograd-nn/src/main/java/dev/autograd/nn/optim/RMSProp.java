package dev.autograd.nn.optim;

import dev.autograd.Value;
import dev.autograd.array.MutableArray;
import dev.autograd.array.NDArray;
import java.util.List;
import java.util.Set;

/**
 * RMSProp as PyTorch's {@code torch.optim.RMSprop}: v ← αv + (1−α)g²; centered: ḡ ← αḡ + (1−α)g and the
 * denominator uses v − ḡ² (an estimate of the variance) instead of v; with momentum μ: b ← μb + g/(√v + ε),
 * p ← p − lr·b; without: p ← p − lr·g/(√v + ε). Weight decay adds λ·p to the gradient.
 */
public final class RMSProp extends Optimizer {
  private final Builder[] options;

  public RMSProp(List<Value> params, double lr) {
    this(builder(params).lr(lr).groups());
  }

  /** {@code RMSProp.builder(params).lr(0.01).alpha(0.9).momentum(0.5).centered(true).build()}. */
  public static Builder builder(List<Value> params) {
    return new Builder(params);
  }

  /** Named options for {@link RMSProp}, with PyTorch's defaults (lr 0.01, alpha 0.99, eps 1e-8, not centered). */
  public static final class Builder extends Optimizer.Builder<Builder, RMSProp> {
    private double alpha = 0.99;
    private double eps = 1e-8;
    private double momentum;
    private boolean centered;

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

    /** Normalise by the estimated variance v − ḡ² rather than the second moment v. */
    public Builder centered(boolean centered) {
      this.centered = centered;
      return this;
    }

    @Override
    public RMSProp build() {
      return new RMSProp(groups());
    }
  }

  private RMSProp(List<Builder> groups) {
    super(groups);
    for (Builder b : groups) {
      checkHyper("RMSProp", "alpha", b.alpha, 0, 1);
      checkHyper("RMSProp", "eps", b.eps, 0, 1);
      checkHyper("RMSProp", "momentum", b.momentum, 0, 1);
    }
    this.options = groups.toArray(new Builder[0]);
  }

  @Override
  protected Set<String> bufferNames() {
    return Set.of("square_avg", "momentum", "grad_avg");
  }

  @Override
  protected void update(int i, MutableArray p, NDArray grad, int step) {
    Builder o = options[groupOf(i)];
    NDArray g = withWeightDecay(i, p, grad);
    MutableArray v = buffer("square_avg", i, 0.0);
    v.addProduct(o.alpha, 1 - o.alpha, g, g);
    NDArray den = v.view();
    if (o.centered) {
      MutableArray avg = buffer("grad_avg", i, 0.0);
      avg.scaleAdd(o.alpha, 1 - o.alpha, g);
      den = den.sub(avg.view().mul(avg.view()));
    }
    if (o.momentum == 0) {
      p.addRatio(-lr(i), g, den, 1, o.eps);
      return;
    }
    MutableArray b = buffer("momentum", i, 0.0);
    b.scale(o.momentum).addRatio(1, g, den, 1, o.eps);
    p.scaleAdd(1, -lr(i), b.view());
  }
}
