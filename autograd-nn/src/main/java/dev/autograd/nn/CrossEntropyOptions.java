package dev.autograd.nn;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.Value;
import dev.autograd.array.NDArray;
import java.util.Objects;

/**
 * Options of {@link Losses#crossEntropy(Value, Value, CrossEntropyOptions)} and {@link Losses#nll}, PyTorch's
 * keyword arguments with its defaults: no class {@code weight}, {@code ignoreIndex} −100, {@code labelSmoothing} 0
 * (crossEntropy only), reduction {@link Reduction#MEAN}. E.g.
 * {@code CrossEntropyOptions.builder().weight(w).ignoreIndex(0).labelSmoothing(0.1).reduction(Reduction.SUM).build()}.
 */
public final class CrossEntropyOptions {
  private static final CrossEntropyOptions DEFAULTS = builder().build();

  private final Value weight;
  private final int ignoreIndex;
  private final double labelSmoothing;
  private final Reduction reduction;

  private CrossEntropyOptions(Builder b) {
    this.weight = b.weight;
    this.ignoreIndex = b.ignoreIndex;
    this.labelSmoothing = b.labelSmoothing;
    this.reduction = b.reduction;
  }

  /** PyTorch's defaults. */
  public static CrossEntropyOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The class weights {@code [C]}, or null for none. */
  public Value weight() {
    return weight;
  }

  public int ignoreIndex() {
    return ignoreIndex;
  }

  public double labelSmoothing() {
    return labelSmoothing;
  }

  public Reduction reduction() {
    return reduction;
  }

  /** Builder for {@link CrossEntropyOptions}. */
  public static final class Builder {
    private Value weight;
    private int ignoreIndex = -100;
    private double labelSmoothing;
    private Reduction reduction = Reduction.MEAN;

    private Builder() {}

    /**
     * A weight per class, a vector {@code [C]} (a value: differentiable, as a tensor with requires_grad would be).
     * With class-index targets and MEAN, the loss is Σ wᵧ·lossᵢ / Σ wᵧ over the targets not ignored.
     */
    public Builder weight(Value weight) {
      this.weight = Objects.requireNonNull(weight, "weight");
      return this;
    }

    public Builder weight(double... weight) {
      return weight(Value.of(NDArray.of(weight)));
    }

    /** A target class index that contributes nothing (and is not counted in the mean); class-index targets only. */
    public Builder ignoreIndex(int ignoreIndex) {
      this.ignoreIndex = ignoreIndex;
      return this;
    }

    /** ε in [0, 1]: the target becomes (1−ε)·target + ε/C on every class. */
    public Builder labelSmoothing(double labelSmoothing) {
      checkArgument(labelSmoothing >= 0 && labelSmoothing <= 1, "crossEntropy: label smoothing must be in [0, 1], "
          + "got %s", labelSmoothing);
      this.labelSmoothing = labelSmoothing;
      return this;
    }

    public Builder reduction(Reduction reduction) {
      this.reduction = Objects.requireNonNull(reduction, "reduction");
      return this;
    }

    public CrossEntropyOptions build() {
      return new CrossEntropyOptions(this);
    }
  }
}
