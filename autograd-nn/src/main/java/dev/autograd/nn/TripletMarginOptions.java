package dev.autograd.nn;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Objects;

/**
 * Options of {@link Losses#tripletMargin(dev.autograd.Value, dev.autograd.Value, dev.autograd.Value,
 * TripletMarginOptions)}, PyTorch's {@code triplet_margin_loss} keyword arguments with its defaults: margin 1, p 2,
 * eps 1e-6, no swap, reduction {@link Reduction#MEAN}.
 */
public final class TripletMarginOptions {
  private static final TripletMarginOptions DEFAULTS = builder().build();

  private final double margin;
  private final double p;
  private final double eps;
  private final boolean swap;
  private final Reduction reduction;

  private TripletMarginOptions(Builder b) {
    this.margin = b.margin;
    this.p = b.p;
    this.eps = b.eps;
    this.swap = b.swap;
    this.reduction = b.reduction;
  }

  public static TripletMarginOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public double margin() {
    return margin;
  }

  public double p() {
    return p;
  }

  public double eps() {
    return eps;
  }

  public boolean swap() {
    return swap;
  }

  public Reduction reduction() {
    return reduction;
  }

  /** Builder for {@link TripletMarginOptions}. */
  public static final class Builder {
    private double margin = 1.0;
    private double p = 2.0;
    private double eps = 1e-6;
    private boolean swap;
    private Reduction reduction = Reduction.MEAN;

    private Builder() {}

    /** The required gap between the negative and the positive distance, finite and ≥ 0. */
    public Builder margin(double margin) {
      checkArgument(margin >= 0 && Double.isFinite(margin), "tripletMargin: margin must be finite and >= 0, got %s",
          margin);
      this.margin = margin;
      return this;
    }

    /** The order of the distance's p-norm, finite and > 0. */
    public Builder p(double p) {
      checkArgument(p > 0 && Double.isFinite(p), "tripletMargin: p must be finite and > 0, got %s", p);
      this.p = p;
      return this;
    }

    /** Added to every difference before its norm (PyTorch's pairwise_distance), keeping the norm differentiable. */
    public Builder eps(double eps) {
      checkArgument(eps >= 0 && Double.isFinite(eps), "tripletMargin: eps must be finite and >= 0, got %s", eps);
      this.eps = eps;
      return this;
    }

    /** Use min(d(a, n), d(p, n)) as the negative distance (the distance swap of Balntas et al.). */
    public Builder swap(boolean swap) {
      this.swap = swap;
      return this;
    }

    public Builder reduction(Reduction reduction) {
      this.reduction = Objects.requireNonNull(reduction, "reduction");
      return this;
    }

    public TripletMarginOptions build() {
      return new TripletMarginOptions(this);
    }
  }
}
