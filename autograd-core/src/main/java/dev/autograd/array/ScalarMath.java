package dev.autograd.array;

/**
 * The elementwise formulas that are more than one operator, on plain doubles. The array kernels apply them per
 * element and the scalar lane of the graph applies them to rank-0 values, so both compute bit-identical results.
 */
public final class ScalarMath {
  private ScalarMath() {}

  /** 1 / (1 + e^-x), evaluated so that neither tail overflows. */
  public static double sigmoid(double x) {
    double e = Math.exp(-Math.abs(x));
    return x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
  }

  /** log(1 + e^x) = max(x, 0) + log1p(e^-|x|): exact in both tails. */
  public static double softplus(double x) {
    return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  /** x^p, with the common square computed exactly as x·x. */
  public static double pow(double x, double p) {
    return p == 2.0 ? x * x : Math.pow(x, p);
  }
}
