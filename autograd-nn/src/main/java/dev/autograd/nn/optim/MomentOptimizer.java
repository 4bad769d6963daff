package dev.autograd.nn.optim;

import dev.autograd.array.MutableArray;
import dev.autograd.array.NDArray;
import java.util.List;

/**
 * What the Adam family ({@link Adam}, {@link Adamax}, {@link NAdam}, {@link RAdam}) shares: each parameter group's
 * options, checked once, and looked up per parameter.
 */
public abstract class MomentOptimizer<B extends MomentBuilder<B, ?>> extends Optimizer {
  private final List<B> options;

  MomentOptimizer(String kind, List<B> groups) {
    super(groups);
    for (B b : groups) {
      b.checkMoments(kind);
    }
    this.options = List.copyOf(groups);
  }

  /**
   * Adam's two moment estimates of parameter {@code index}, updated with g: m ← β₁m + (1−β₁)g and
   * v ← β₂v + (1−β₂)g², kept in the buffers {@code exp_avg} and {@code exp_avg_sq} (PyTorch's names).
   */
  final MutableArray[] updatedMoments(int index, NDArray g) {
    B o = options(index);
    MutableArray m = buffer("exp_avg", index, 0.0);
    MutableArray v = buffer("exp_avg_sq", index, 0.0);
    m.scaleAdd(o.beta1, 1 - o.beta1, g);
    v.addProduct(o.beta2, 1 - o.beta2, g, g);
    return new MutableArray[] {m, v};
  }

  /** The options of the group that parameter {@code index} belongs to. */
  final B options(int index) {
    return options.get(groupOf(index));
  }
}
