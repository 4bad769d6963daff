package dev.autograd.nn.optim;

import dev.autograd.Value;
import dev.autograd.array.MutableArray;
import dev.autograd.array.NDArray;
import java.util.List;
import java.util.Set;

/**
 * Adagrad as PyTorch's {@code torch.optim.Adagrad}: g ← ∇ + λ·p; s ← s + g² (s starts at
 * {@code initialAccumulatorValue}); p ← p − lr/(1 + (t−1)·lrDecay) · g/(√s + ε), t the parameter's own step count.
 */
public final class Adagrad extends Optimizer {
  private final Builder[] options;

  /** {@code Adagrad.builder(params).lr(0.1).lrDecay(1e-3).initialAccumulatorValue(0.1).build()}. */
  public static Builder builder(List<Value> params) {
    return new Builder(params);
  }

  /** Named options with PyTorch's defaults: lr 1e-2, lr decay 0, initial accumulator 0, eps 1e-10. */
  public static final class Builder extends Optimizer.Builder<Builder, Adagrad> {
    private double lrDecay;
    private double initialAccumulatorValue;
    private double eps = 1e-10;

    private Builder(List<Value> params) {
      super(params, 1e-2);
    }

    public Builder lrDecay(double lrDecay) {
      this.lrDecay = lrDecay;
      return this;
    }

    public Builder initialAccumulatorValue(double value) {
      this.initialAccumulatorValue = value;
      return this;
    }

    public Builder eps(double eps) {
      this.eps = eps;
      return this;
    }

    @Override
    public Adagrad build() {
      return new Adagrad(groups());
    }
  }

  private Adagrad(List<Builder> groups) {
    super(groups);
    for (Builder b : groups) {
      checkHyper("Adagrad", "lr decay", b.lrDecay, 0, Double.MAX_VALUE);
      checkHyper("Adagrad", "initial accumulator value", b.initialAccumulatorValue, 0, Double.MAX_VALUE);
      checkHyper("Adagrad", "eps", b.eps, 0, 1);
    }
    this.options = groups.toArray(new Builder[0]);
  }

  @Override
  protected Set<String> bufferNames() {
    return Set.of("sum");
  }

  @Override
  protected void update(int i, MutableArray p, NDArray grad, int step) {
    Builder o = options[groupOf(i)];
    NDArray g = withWeightDecay(i, p, grad);
    MutableArray sum = buffer("sum", i, o.initialAccumulatorValue);
    sum.addProduct(1, 1, g, g);
    double clr = lr(i) / (1 + (step - 1) * o.lrDecay);
    p.addRatio(-clr, g, sum.view(), 1, o.eps);
  }
}
