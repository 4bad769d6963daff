package dev.autograd.nn.optim;

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

  /** The options of the group that parameter {@code index} belongs to. */
  final B options(int index) {
    return options.get(groupOf(index));
  }
}
