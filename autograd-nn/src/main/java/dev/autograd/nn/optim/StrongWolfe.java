package dev.autograd.nn.optim;

import java.util.function.DoubleFunction;

/** The strong-Wolfe line search of PyTorch's L-BFGS ({@code torch.optim.lbfgs._strong_wolfe}). */
final class StrongWolfe {
  private static final double C1 = 1e-4;
  private static final double C2 = 0.9;
  private static final int MAX_LINE_SEARCH = 25;

  private StrongWolfe() {}

  /** Loss and flat gradient at one step length. */
  record Evaluation(double loss, double[] grad) {}

  /** The accepted step: its loss, gradient and length, and the number of evaluations spent. */
  record Result(double loss, double[] grad, double t, int evals) {}

  /**
   * PyTorch's {@code _strong_wolfe}, line for line: from step tInit along {@code dir}, with f, g and gtd = gᵀd at
   * step 0, a bracketing phase (cubic extrapolation within [t + 0.01(t − t_prev), 10t]) then a zoom (safeguarded
   * cubic interpolation) until f(t) ≤ f + c₁·t·gtd and |g(t)ᵀd| ≤ −c₂·gtd, at most 25 evaluations, or the bracket is
   * narrower than toleranceChange (scaled by ‖d‖∞).
   */
  static Result search(DoubleFunction<Evaluation> objective, double tInit, double[] dir, double f, double[] g,
      double gtd, double toleranceChange) {
    double dNorm = maxAbs(dir);
    double step = tInit;
    Evaluation e = objective.apply(step);
    double fNew = e.loss;
    double[] gNew = e.grad;
    int evals = 1;
    double gtdNew = dot(gNew, dir);
    double tPrev = 0;
    double fPrev = f;
    double[] gPrev = g;
    double gtdPrev = gtd;
    boolean done = false;
    int lsIter = 0;
    double[] bracket = null;
    double[] bracketF = null;
    double[][] bracketG = null;
    double[] bracketGtd = null;
    while (lsIter < MAX_LINE_SEARCH) {
      if (fNew > f + C1 * step * gtd || (lsIter > 1 && fNew >= fPrev)) {
        bracket = new double[] {tPrev, step};
        bracketF = new double[] {fPrev, fNew};
        bracketG = new double[][] {gPrev, gNew};
        bracketGtd = new double[] {gtdPrev, gtdNew};
        break;
      }
      if (Math.abs(gtdNew) <= -C2 * gtd) {
        bracket = new double[] {step};
        bracketF = new double[] {fNew};
        bracketG = new double[][] {gNew};
        done = true;
        break;
      }
      if (gtdNew >= 0) {
        bracket = new double[] {tPrev, step};
        bracketF = new double[] {fPrev, fNew};
        bracketG = new double[][] {gPrev, gNew};
        bracketGtd = new double[] {gtdPrev, gtdNew};
        break;
      }
      double minStep = step + 0.01 * (step - tPrev);
      double maxStep = step * 10;
      double tmp = step;
      step = cubicInterpolate(tPrev, fPrev, gtdPrev, step, fNew, gtdNew, minStep, maxStep);
      tPrev = tmp;
      fPrev = fNew;
      gPrev = gNew;
      gtdPrev = gtdNew;
      e = objective.apply(step);
      fNew = e.loss;
      gNew = e.grad;
      evals++;
      gtdNew = dot(gNew, dir);
      lsIter++;
    }
    if (lsIter == MAX_LINE_SEARCH) {
      bracket = new double[] {0, step};
      bracketF = new double[] {f, fNew};
      bracketG = new double[][] {g, gNew};
    }
    boolean insufficientProgress = false;
    int low = bracketF[0] <= bracketF[bracketF.length - 1] ? 0 : 1;
    int high = 1 - low;
    while (!done && lsIter < MAX_LINE_SEARCH) {
      if (Math.abs(bracket[1] - bracket[0]) * dNorm < toleranceChange) {
        break;
      }
      step = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1],
          Math.min(bracket[0], bracket[1]), Math.max(bracket[0], bracket[1]));
      double hi = Math.max(bracket[0], bracket[1]);
      double lo = Math.min(bracket[0], bracket[1]);
      double eps = 0.1 * (hi - lo);
      if (Math.min(hi - step, step - lo) < eps) {
        if (insufficientProgress || step >= hi || step <= lo) {
          step = Math.abs(step - hi) < Math.abs(step - lo) ? hi - eps : lo + eps;
          insufficientProgress = false;
        } else {
          insufficientProgress = true;
        }
      } else {
        insufficientProgress = false;
      }
      e = objective.apply(step);
      fNew = e.loss;
      gNew = e.grad;
      evals++;
      gtdNew = dot(gNew, dir);
      lsIter++;
      if (fNew > f + C1 * step * gtd || fNew >= bracketF[low]) {
        bracket[high] = step;
        bracketF[high] = fNew;
        bracketG[high] = gNew;
        bracketGtd[high] = gtdNew;
        low = bracketF[0] <= bracketF[1] ? 0 : 1;
        high = 1 - low;
      } else {
        if (Math.abs(gtdNew) <= -C2 * gtd) {
          done = true;
        } else if (gtdNew * (bracket[high] - bracket[low]) >= 0) {
          bracket[high] = bracket[low];
          bracketF[high] = bracketF[low];
          bracketG[high] = bracketG[low];
          bracketGtd[high] = bracketGtd[low];
        }
        bracket[low] = step;
        bracketF[low] = fNew;
        bracketG[low] = gNew;
        bracketGtd[low] = gtdNew;
      }
    }
    // a one-element bracket (Wolfe met at once) has its point at index 0, which low is then
    int at = bracket.length == 1 ? 0 : low;
    return new Result(bracketF[at], bracketG[at], bracket[at], evals);
  }

  /** Minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to [lo, hi]; the midpoint if none. */
  private static double cubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2,
      double lo, double hi) {
    double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
    double d2Square = d1 * d1 - g1 * g2;
    if (d2Square >= 0) {
      double d2 = Math.sqrt(d2Square);
      double minPos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
          : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
      return Math.min(Math.max(minPos, lo), hi);
    }
    return (lo + hi) / 2;
  }


  static double maxAbs(double[] x) {
    double m = 0;
    for (double v : x) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
