package dev.autograd.nn;

import dev.autograd.Value;
import java.util.Objects;

/**
 * Options of {@link Losses#bce(Value, Value, BceOptions)} and {@link Losses#bceWithLogits(Value, Value, BceOptions)},
 * PyTorch's keyword arguments with its defaults: no {@code weight}, no {@code posWeight} (bceWithLogits only),
 * reduction {@link Reduction#MEAN}. E.g. {@code BceOptions.builder().posWeight(Value.of(3.0)).build()}.
 */
public final class BceOptions {
  private static final BceOptions DEFAULTS = builder().build();

  private final Value weight;
  private final Value posWeight;
  private final Reduction reduction;

  private BceOptions(Builder b) {
    this.weight = b.weight;
    this.posWeight = b.posWeight;
    this.reduction = b.reduction;
  }

  public static BceOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Weight of each element's loss, broadcast to the input's shape; null for none. */
  public Value weight() {
    return weight;
  }

  /** Weight of the positive term, broadcast to the input's shape (one per class on the last axis); null for none. */
  public Value posWeight() {
    return posWeight;
  }

  public Reduction reduction() {
    return reduction;
  }

  /** Builder for {@link BceOptions}. */
  public static final class Builder {
    private Value weight;
    private Value posWeight;
    private Reduction reduction = Reduction.MEAN;

    private Builder() {}

    public Builder weight(Value weight) {
      this.weight = Objects.requireNonNull(weight, "weight");
      return this;
    }

    /** p_c in −[p_c·t·log σ(x) + (1−t)·log(1−σ(x))]: > 1 favours recall of class c. */
    public Builder posWeight(Value posWeight) {
      this.posWeight = Objects.requireNonNull(posWeight, "posWeight");
      return this;
    }

    public Builder reduction(Reduction reduction) {
      this.reduction = Objects.requireNonNull(reduction, "reduction");
      return this;
    }

    public BceOptions build() {
      return new BceOptions(this);
    }
  }
}
