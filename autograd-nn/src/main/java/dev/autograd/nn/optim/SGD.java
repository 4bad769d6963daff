package dev.autograd.nn.optim;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.Value;
import dev.autograd.array.MutableArray;
import dev.autograd.array.NDArray;
import java.util.List;
import java.util.Set;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight decay, as PyTorch's
 * {@code torch.optim.SGD}: g ← ∇ + λ·p; b ← μ·b + (1−τ)·g (b = g on a parameter's first step); g ← g + μ·b
 * (Nesterov) or b; p ← p − lr·g.
 */
public final class SGD extends Optimizer {
  private final Builder[] options;

  /** Plain SGD: p ← p − lr·∇. {@link #builder} sets momentum, Nesterov and weight decay by name. */
  public SGD(List<Value> params, double lr) {
    this(builder(params).lr(lr).groups());
  }

  /** {@code SGD.builder(params).lr(0.1).momentum(0.9).nesterov(true).weightDecay(1e-4).build()}. */
  public static Builder builder(List<Value> params) {
    return new Builder(params);
  }

  /**
   * Named options for {@link SGD}, with PyTorch's defaults (momentum 0, dampening 0, no Nesterov; the lr, which
   * PyTorch requires, defaults to 1e-3 here).
   */
  public static final class Builder extends Optimizer.Builder<Builder, SGD> {
    private double momentum;
    private double dampening;
    private boolean nesterov;

    private Builder(List<Value> params) {
      super(params, 1e-3);
    }

    public Builder momentum(double momentum) {
      this.momentum = momentum;
      return this;
    }

    /** τ: the new gradient enters the momentum buffer with weight 1−τ (not on the first step). */
    public Builder dampening(double dampening) {
      this.dampening = dampening;
      return this;
    }

    /** Nesterov momentum; needs momentum > 0 and dampening 0, as in PyTorch. */
    public Builder nesterov(boolean nesterov) {
      this.nesterov = nesterov;
      return this;
    }

    @Override
    public SGD build() {
      return new SGD(groups());
    }
  }

  private SGD(List<Builder> groups) {
    super(groups);
    for (Builder b : groups) {
      checkHyper("SGD", "momentum", b.momentum, 0, 1);
      checkHyper("SGD", "dampening", b.dampening, 0, 1);
      checkArgument(!b.nesterov || (b.momentum > 0 && b.dampening == 0),
          "SGD: Nesterov momentum requires a momentum > 0 and zero dampening, got momentum %s and dampening %s",
          b.momentum, b.dampening);
    }
    this.options = groups.toArray(new Builder[0]);
  }

  @Override
  protected Set<String> bufferNames() {
    return Set.of("momentum");
  }

  @Override
  protected void update(int i, MutableArray p, NDArray grad, int step) {
    Builder o = options[groupOf(i)];
    NDArray g = withWeightDecay(i, p, grad);
    double lr = lr(i);
    if (o.momentum == 0) {
      p.scaleAdd(1, -lr, g);
      return;
    }
    MutableArray b = buffer("momentum", i);
    if (b == null) {
      b = buffer("momentum", i, g);
    } else {
      b.scaleAdd(o.momentum, 1 - o.dampening, g);
    }
    if (o.nesterov) {
      p.scaleAdd(1, -lr, g).scaleAdd(1, -lr * o.momentum, b.view());
    } else {
      p.scaleAdd(1, -lr, b.view());
    }
  }
}
