package dev.autograd.nn.optim;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import java.util.List;

/**
 * PyTorch's {@code ReduceLROnPlateau}: after more than {@code patience} epochs without improvement of the metric,
 * every group's rate is multiplied by {@code factor} (not below its {@code minLr}; a change smaller than {@code eps}
 * is not applied), then {@code cooldown} epochs pass before bad epochs count again. Improvement in mode min means
 * metric &lt; best·(1 − threshold) (threshold mode rel) or &lt; best − threshold (abs); in mode max, &gt; best·(1 +
 * threshold) or &gt; best + threshold. A NaN metric is never an improvement.
 */
public final class ReduceLrOnPlateau {
  private final Optimizer optimizer;
  private final boolean max;
  private final boolean relative;
  private final double factor;
  private final int patience;
  private final double threshold;
  private final int cooldown;
  private final double[] minLrs;
  private final double eps;
  private double best;
  private int badEpochs;
  private int cooldownCounter;
  private int lastEpoch;

  private ReduceLrOnPlateau(Builder b) {
    checkArgument(b.factor < 1 && b.factor >= 0, "ReduceLrOnPlateau: factor must be in [0, 1), got %s", b.factor);
    checkArgument(b.patience >= 0, "ReduceLrOnPlateau: patience must be >= 0, got %s", b.patience);
    checkArgument(b.cooldown >= 0, "ReduceLrOnPlateau: cooldown must be >= 0, got %s", b.cooldown);
    checkArgument(b.threshold >= 0 && Double.isFinite(b.threshold),
        "ReduceLrOnPlateau: threshold must be finite and >= 0, got %s", b.threshold);
    checkArgument(b.eps >= 0, "ReduceLrOnPlateau: eps must be >= 0, got %s", b.eps);
    int groups = b.optimizer.paramGroups().size();
    double[] mins = b.minLrs.length == 1 ? filled(groups, b.minLrs[0]) : b.minLrs.clone();
    checkArgument(mins.length == groups, "ReduceLrOnPlateau: expected %s minLr values (one per group), got %s",
        groups, mins.length);
    for (double m : mins) {
      checkArgument(m >= 0 && Double.isFinite(m), "ReduceLrOnPlateau: minLr must be finite and >= 0, got %s", m);
    }
    this.optimizer = b.optimizer;
    this.max = b.max;
    this.relative = b.relative;
    this.factor = b.factor;
    this.patience = b.patience;
    this.threshold = b.threshold;
    this.cooldown = b.cooldown;
    this.minLrs = mins;
    this.eps = b.eps;
    this.best = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
  }

  private static double[] filled(int n, double v) {
    double[] a = new double[n];
    Arrays.fill(a, v);
    return a;
  }

  /**
   * {@code ReduceLrOnPlateau.builder(opt).mode("max").factor(0.5).patience(3).build()}; PyTorch's defaults: mode min,
   * factor 0.1, patience 10, threshold 1e-4 relative, cooldown 0, minLr 0, eps 1e-8.
   */
  public static Builder builder(Optimizer optimizer) {
    return new Builder(optimizer);
  }

  /** Options for {@link ReduceLrOnPlateau}. */
  public static final class Builder {
    private final Optimizer optimizer;
    private boolean max;
    private boolean relative = true;
    private double factor = 0.1;
    private int patience = 10;
    private double threshold = 1e-4;
    private int cooldown;
    private double[] minLrs = {0};
    private double eps = 1e-8;

    private Builder(Optimizer optimizer) {
      this.optimizer = optimizer;
    }

    /** {@code "min"} (the metric should fall, e.g. a loss) or {@code "max"} (e.g. an accuracy). */
    public Builder mode(String mode) {
      checkArgument("min".equals(mode) || "max".equals(mode), "ReduceLrOnPlateau: mode must be 'min' or 'max', got '%s'",
          mode);
      this.max = mode.equals("max");
      return this;
    }

    public Builder factor(double factor) {
      this.factor = factor;
      return this;
    }

    public Builder patience(int patience) {
      this.patience = patience;
      return this;
    }

    public Builder threshold(double threshold) {
      this.threshold = threshold;
      return this;
    }

    /** {@code "rel"} (default) or {@code "abs"}. */
    public Builder thresholdMode(String mode) {
      checkArgument("rel".equals(mode) || "abs".equals(mode),
          "ReduceLrOnPlateau: thresholdMode must be 'rel' or 'abs', got '%s'", mode);
      this.relative = mode.equals("rel");
      return this;
    }

    public Builder cooldown(int cooldown) {
      this.cooldown = cooldown;
      return this;
    }

    /** One lower bound for every group, or one per group. */
    public Builder minLr(double... minLrs) {
      this.minLrs = minLrs.clone();
      return this;
    }

    public Builder eps(double eps) {
      this.eps = eps;
      return this;
    }

    public ReduceLrOnPlateau build() {
      return new ReduceLrOnPlateau(this);
    }
  }

  /** Records one epoch's metric and reduces the rates if it is time to. */
  public void step(double metric) {
    lastEpoch++;
    if (isBetter(metric)) {
      best = metric;
      badEpochs = 0;
    } else {
      badEpochs++;
    }
    if (cooldownCounter > 0) {
      cooldownCounter--;
      badEpochs = 0;
    }
    if (badEpochs > patience) {
      List<Optimizer.ParamGroup> groups = optimizer.paramGroups();
      for (int i = 0; i < groups.size(); i++) {
        double old = groups.get(i).lr();
        double updated = Math.max(old * factor, minLrs[i]);
        if (old - updated > eps) {
          groups.get(i).setLr(updated);
        }
      }
      cooldownCounter = cooldown;
      badEpochs = 0;
    }
  }

  private boolean isBetter(double a) {
    if (max) {
      return relative ? a > best * (1 + threshold) : a > best + threshold;
    }
    return relative ? a < best * (1 - threshold) : a < best - threshold;
  }

  /** The best metric so far (±∞ before the first). */
  public double best() {
    return best;
  }

  /** Epochs without improvement counted now (PyTorch's {@code num_bad_epochs}). */
  public int badEpochs() {
    return badEpochs;
  }

  /** Number of {@link #step} calls. */
  public int lastEpoch() {
    return lastEpoch;
  }
}
