package dev.autograd.nn.optim;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;

/**
 * Learning rate as a function of the step (epoch) number, counted from 0 as PyTorch's {@code last_epoch}. Apply to
 * one rate with {@code optimizer.setLearningRate(schedule.rate(step))} before each step, or to every parameter group
 * with an {@link LrScheduler} (PyTorch's {@code scheduler.step()} loop). The factories give PyTorch's closed forms,
 * with {@code lr} the group's initial rate ({@code base_lr}).
 */
@FunctionalInterface
public interface LrSchedule {
  double rate(int step);

  static LrSchedule constant(double lr) {
    return step -> lr;
  }

  /** lr·γ^⌊step / stepSize⌋ (PyTorch's {@code StepLR}). */
  static LrSchedule stepDecay(double lr, int stepSize, double gamma) {
    checkArgument(stepSize > 0, "stepDecay: stepSize must be > 0, got %s", stepSize);
    return step -> lr * Math.pow(gamma, Math.floorDiv(step, stepSize));
  }

  /**
   * lr·γ^k with k the number of milestones ≤ step (PyTorch's {@code MultiStepLR}; a milestone given twice counts
   * twice, as there).
   */
  static LrSchedule multiStep(double lr, int[] milestones, double gamma) {
    int[] sorted = milestones.clone();
    Arrays.sort(sorted);
    checkArgument(sorted.length == 0 || sorted[0] >= 0, "multiStep: milestones must be >= 0, got %s",
        Arrays.toString(milestones));
    return step -> {
      int k = 0;
      while (k < sorted.length && sorted[k] <= step) {
        k++;
      }
      return lr * Math.pow(gamma, k);
    };
  }

  /** lr·γ^step (PyTorch's {@code ExponentialLR}). */
  static LrSchedule exponential(double lr, double gamma) {
    return step -> lr * Math.pow(gamma, step);
  }

  /**
   * PyTorch's {@code CosineAnnealingLR} in its closed form, minLr + (lr − minLr)·(1 + cos(π·step/totalSteps))/2, for
   * every step: it reaches minLr at totalSteps and, past it, rises again (a period of 2·totalSteps), exactly as
   * PyTorch's schedule stepped past T_max. Stop at totalSteps, or use {@link #cosineWarmRestarts}, for other
   * behaviour.
   */
  static LrSchedule cosine(double lr, double minLr, int totalSteps) {
    checkArgument(totalSteps > 0, "cosine: totalSteps must be > 0, got %s", totalSteps);
    return step -> minLr + 0.5 * (lr - minLr) * (1 + Math.cos(Math.PI * step / totalSteps));
  }

  /**
   * PyTorch's {@code CosineAnnealingWarmRestarts}: cosine annealing from lr to etaMin over a period of t0 steps,
   * then a restart at lr with a period tMult times longer: minLr + (lr − minLr)·(1 + cos(π·T_cur/T_i))/2 with T_i
   * the current period and T_cur the steps since the last restart.
   */
  static LrSchedule cosineWarmRestarts(double lr, int t0, int tMult, double etaMin) {
    checkArgument(t0 > 0, "cosineWarmRestarts: T_0 must be a positive integer, got %s", t0);
    checkArgument(tMult >= 1, "cosineWarmRestarts: T_mult must be an integer >= 1, got %s", tMult);
    return step -> {
      checkArgument(step >= 0, "cosineWarmRestarts: step must be >= 0, got %s", step);
      long period = t0;
      long cur = step;
      while (cur >= period) { // integer arithmetic: PyTorch's log formula, without its rounding at period ends
        cur -= period;
        period *= tMult;
      }
      return etaMin + 0.5 * (lr - etaMin) * (1 + Math.cos(Math.PI * cur / period));
    };
  }

  /** lr·(1 − min(step, totalIters)/totalIters)^power (PyTorch's {@code PolynomialLR}: 0 from totalIters on). */
  static LrSchedule polynomial(double lr, int totalIters, double power) {
    checkArgument(totalIters > 0, "polynomial: totalIters must be > 0, got %s", totalIters);
    checkArgument(power >= 0 && Double.isFinite(power), "polynomial: power must be finite and >= 0, got %s", power);
    return step -> lr * Math.pow(1.0 - (double) Math.min(step, totalIters) / totalIters, power);
  }

  /** Linear ramp from lr/warmupSteps·1 up to the wrapped schedule's rate over warmupSteps, then the schedule. */
  static LrSchedule linearWarmup(LrSchedule after, int warmupSteps) {
    checkArgument(warmupSteps > 0, "linearWarmup: warmupSteps must be > 0, got %s", warmupSteps);
    return step -> step < warmupSteps ? after.rate(step) * (step + 1) / warmupSteps : after.rate(step);
  }
}
