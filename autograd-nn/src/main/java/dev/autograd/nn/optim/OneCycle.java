package dev.autograd.nn.optim;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * PyTorch's {@code OneCycleLR} learning rate: from maxLr/divFactor up to maxLr over the first pctStart of the steps,
 * then down to maxLr/(divFactor·finalDivFactor); with threePhase, up, back down to the initial rate symmetrically,
 * then down to the minimum. Each phase anneals by cosine (default) or linearly. As in PyTorch the phases end at the
 * (unrounded) steps pctStart·totalSteps − 1 and totalSteps − 1 (three phases: pctStart·totalSteps − 1,
 * 2·pctStart·totalSteps − 2 and totalSteps − 1), and a step beyond totalSteps is refused. Only the learning rate is
 * cycled: PyTorch also cycles momentum by default ({@code cycle_momentum}), which this schedule leaves to the caller.
 * Use it per group with {@code LrScheduler.of(opt, lr -> OneCycle.builder(lr, total).build())} (each group's lr as
 * its maxLr).
 */
public final class OneCycle implements LrSchedule {
  private final double[] starts;
  private final double[] ends;
  private final double[] endSteps;
  private final int totalSteps;
  private final boolean cosine;

  private OneCycle(Builder b) {
    checkArgument(b.maxLr > 0 && Double.isFinite(b.maxLr), "oneCycle: maxLr must be finite and > 0, got %s", b.maxLr);
    checkArgument(b.totalSteps > 0, "oneCycle: totalSteps must be > 0, got %s", b.totalSteps);
    checkArgument(b.pctStart >= 0 && b.pctStart <= 1, "oneCycle: pctStart must be in [0, 1], got %s", b.pctStart);
    checkArgument(b.divFactor > 0 && b.finalDivFactor > 0,
        "oneCycle: divFactor and finalDivFactor must be > 0, got %s and %s", b.divFactor, b.finalDivFactor);
    double initial = b.maxLr / b.divFactor;
    double min = initial / b.finalDivFactor;
    double up = b.pctStart * b.totalSteps - 1;
    this.totalSteps = b.totalSteps;
    this.cosine = b.cosine;
    if (b.threePhase) {
      starts = new double[] {initial, b.maxLr, initial};
      ends = new double[] {b.maxLr, initial, min};
      endSteps = new double[] {up, 2 * b.pctStart * b.totalSteps - 2, b.totalSteps - 1};
    } else {
      starts = new double[] {initial, b.maxLr};
      ends = new double[] {b.maxLr, min};
      endSteps = new double[] {up, b.totalSteps - 1};
    }
  }

  /** {@code OneCycle.builder(0.1, 1000).pctStart(0.25).build()}. */
  public static Builder builder(double maxLr, int totalSteps) {
    return new Builder(maxLr, totalSteps);
  }

  /** Options with PyTorch's defaults: pctStart 0.3, cosine annealing, divFactor 25, finalDivFactor 1e4, two phases. */
  public static final class Builder {
    private final double maxLr;
    private final int totalSteps;
    private double pctStart = 0.3;
    private boolean cosine = true;
    private double divFactor = 25;
    private double finalDivFactor = 1e4;
    private boolean threePhase;

    private Builder(double maxLr, int totalSteps) {
      this.maxLr = maxLr;
      this.totalSteps = totalSteps;
    }

    public Builder pctStart(double pctStart) {
      this.pctStart = pctStart;
      return this;
    }

    /** {@code "cos"} (default) or {@code "linear"}, as PyTorch's {@code anneal_strategy}. */
    public Builder annealStrategy(String strategy) {
      checkArgument("cos".equals(strategy) || "linear".equals(strategy),
          "oneCycle: annealStrategy must be 'cos' or 'linear', got '%s'", strategy);
      this.cosine = strategy.equals("cos");
      return this;
    }

    public Builder divFactor(double divFactor) {
      this.divFactor = divFactor;
      return this;
    }

    public Builder finalDivFactor(double finalDivFactor) {
      this.finalDivFactor = finalDivFactor;
      return this;
    }

    public Builder threePhase(boolean threePhase) {
      this.threePhase = threePhase;
      return this;
    }

    public OneCycle build() {
      return new OneCycle(this);
    }
  }

  /** @throws IllegalArgumentException for a step beyond totalSteps (PyTorch's ValueError) or below 0 */
  @Override
  public double rate(int step) {
    checkArgument(step >= 0 && step <= totalSteps,
        "oneCycle: tried to step %s times, the specified number of total steps is %s", step, totalSteps);
    double start = 0;
    for (int i = 0; i < endSteps.length; i++) {
      if (step <= endSteps[i] || i == endSteps.length - 1) {
        double pct = (step - start) / (endSteps[i] - start);
        return cosine ? ends[i] + (starts[i] - ends[i]) / 2 * (Math.cos(Math.PI * pct) + 1)
            : (ends[i] - starts[i]) * pct + starts[i];
      }
      start = endSteps[i];
    }
    throw new AssertionError();
  }
}
