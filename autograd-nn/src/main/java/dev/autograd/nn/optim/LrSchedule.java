package dev.autograd.nn.optim;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Learning rate as a function of the step number (0-based). Apply with
 * {@code optimizer.setLearningRate(schedule.rate(step))} before each step.
 */
@FunctionalInterface
public interface LrSchedule {
  double rate(int step);

  static LrSchedule constant(double lr) {
    return step -> lr;
  }

  /** lr·γ^⌊step / stepSize⌋. */
  static LrSchedule stepDecay(double lr, int stepSize, double gamma) {
    checkArgument(stepSize > 0, "stepDecay: stepSize must be > 0, got %s", stepSize);
    return step -> lr * Math.pow(gamma, Math.floorDiv(step, stepSize));
  }

  /** lr·γ^step. */
  static LrSchedule exponential(double lr, double gamma) {
    return step -> lr * Math.pow(gamma, step);
  }

  /** Cosine annealing from lr to minLr over totalSteps, then minLr. */
  static LrSchedule cosine(double lr, double minLr, int totalSteps) {
    checkArgument(totalSteps > 0, "cosine: totalSteps must be > 0, got %s", totalSteps);
    return step -> step >= totalSteps ? minLr
        : minLr + 0.5 * (lr - minLr) * (1 + Math.cos(Math.PI * step / totalSteps));
  }

  /** Linear ramp from lr/warmupSteps·1 up to the wrapped schedule's rate over warmupSteps, then the schedule. */
  static LrSchedule linearWarmup(LrSchedule after, int warmupSteps) {
    checkArgument(warmupSteps > 0, "linearWarmup: warmupSteps must be > 0, got %s", warmupSteps);
    return step -> step < warmupSteps ? after.rate(step) * (step + 1) / warmupSteps : after.rate(step);
  }
}
