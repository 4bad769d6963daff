package dev.autograd.nn.optim;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.Value;
import dev.autograd.array.NDArray;
import java.util.List;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, as in PyTorch:
 * g ← ∇ + λ·p; b ← μ·b + g (b = g on the first step); g ← g + μ·b (Nesterov) or b; p ← p − lr·g.
 */
public final class SGD extends Optimizer {
  private final double momentum;
  private final boolean nesterov;
  private final double weightDecay;

  public SGD(List<Value> params, double lr) {
    this(params, lr, 0, false, 0);
  }

  public SGD(List<Value> params, double lr, double momentum, boolean nesterov, double weightDecay) {
    super(params, lr);
    checkHyper("SGD", "momentum", momentum, 0, 1);
    checkHyper("SGD", "weight decay", weightDecay, 0, Double.MAX_VALUE);
    checkArgument(!nesterov || momentum > 0, "SGD: Nesterov momentum needs momentum > 0");
    this.momentum = momentum;
    this.nesterov = nesterov;
    this.weightDecay = weightDecay;
  }

  @Override
  protected NDArray update(int i, NDArray p, NDArray grad, int step) {
    NDArray g = weightDecay == 0 ? grad : grad.add(p.mul(weightDecay));
    if (momentum > 0) {
      NDArray previous = buffer("momentum", i);
      NDArray b = previous == null ? g : previous.mul(momentum).add(g);
      setBuffer("momentum", i, b);
      g = nesterov ? g.add(b.mul(momentum)) : b;
    }
    return p.sub(g.mul(learningRate()));
  }
}
