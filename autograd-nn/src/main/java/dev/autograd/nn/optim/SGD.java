package dev.autograd.nn.optim;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.Value;
import dev.autograd.array.MutableArray;
import dev.autograd.array.NDArray;
import java.util.List;
import java.util.Set;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, as in PyTorch:
 * g ← ∇ + λ·p; b ← μ·b + g (b = g on the first step); g ← g + μ·b (Nesterov) or b; p ← p − lr·g.
 */
public final class SGD extends Optimizer {
  private final double momentum;
  private final boolean nesterov;
  private final double weightDecay;

  /** Plain SGD: p ← p − lr·∇. {@link #builder} sets momentum, Nesterov and weight decay by name. */
  public SGD(List<Value> params, double lr) {
    this(params, lr, 0, false, 0);
  }

  /** {@code SGD.builder(params).lr(0.1).momentum(0.9).nesterov(true).weightDecay(1e-4).build()}. */
  public static Builder builder(List<Value> params) {
    return new Builder(params);
  }

  /** Named options for {@link SGD}, with PyTorch's defaults (lr 1e-3 here, as PyTorch requires one; no momentum). */
  public static final class Builder extends Optimizer.Builder<Builder, SGD> {
    private double momentum;
    private boolean nesterov;

    private Builder(List<Value> params) {
      super(params, 1e-3);
    }

    public Builder momentum(double momentum) {
      this.momentum = momentum;
      return this;
    }

    public Builder nesterov(boolean nesterov) {
      this.nesterov = nesterov;
      return this;
    }

    @Override
    public SGD build() {
      return new SGD(params, lr, momentum, nesterov, weightDecay);
    }
  }

  private SGD(List<Value> params, double lr, double momentum, boolean nesterov, double weightDecay) {
    super(params, lr);
    checkHyper("SGD", "momentum", momentum, 0, 1);
    checkHyper("SGD", "weight decay", weightDecay, 0, Double.MAX_VALUE);
    checkArgument(!nesterov || momentum > 0, "SGD: Nesterov momentum needs momentum > 0");
    this.momentum = momentum;
    this.nesterov = nesterov;
    this.weightDecay = weightDecay;
  }

  @Override
  protected Set<String> bufferNames() {
    return Set.of("momentum");
  }

  @Override
  protected void update(int i, MutableArray p, NDArray grad, int step) {
    NDArray g = weightDecay == 0 ? grad : grad.add(p.view().mul(weightDecay));
    double lr = learningRate();
    if (momentum == 0) {
      p.scaleAdd(1, -lr, g);
      return;
    }
    MutableArray b = buffer("momentum", i);
    if (b == null) {
      b = buffer("momentum", i, g);
    } else {
      b.scaleAdd(momentum, 1, g);
    }
    if (nesterov) {
      p.scaleAdd(1, -lr, g).scaleAdd(1, -lr * momentum, b.view());
    } else {
      p.scaleAdd(1, -lr, b.view());
    }
  }
}
