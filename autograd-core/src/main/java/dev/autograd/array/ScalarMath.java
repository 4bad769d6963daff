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

  private static final double LN2 = Math.log(2.0);
  /** Above this, x² + 1 = x² in doubles, so the inverse hyperbolic functions take their log(2x) form. */
  private static final double HUGE = 0x1p28;

  /** asinh, odd and accurate near 0 (log1p form) and for huge |x| (no overflow in x²). */
  public static double asinh(double x) {
    double a = Math.abs(x);
    double r = a > HUGE ? Math.log(a) + LN2 : Math.log1p(a + a * a / (1 + Math.sqrt(1 + a * a)));
    return Math.copySign(r, x);
  }

  /** acosh for x ≥ 1 (NaN below), accurate near 1 (log1p form) and for huge x. */
  public static double acosh(double x) {
    if (x > HUGE) {
      return Math.log(x) + LN2;
    }
    double t = x - 1;
    return Math.log1p(t + Math.sqrt(2 * t + t * t));
  }

  /** atanh for |x| ≤ 1 (±∞ at ±1, NaN beyond), accurate near 0. */
  public static double atanh(double x) {
    double a = Math.abs(x);
    return Math.copySign(0.5 * Math.log1p(2 * a / (1 - a)), x);
  }

  /** log₂, exact at powers of two (log(x)/log(2) is not: log(8)/log(2) = 2.9999999999999996). */
  public static double log2(double x) {
    if (x > 0 && x < Double.POSITIVE_INFINITY) {
      int e = Math.getExponent(x);
      if (e >= Double.MIN_EXPONENT) { // normal numbers: x = m·2^e with m in [1, 2)
        double m = Math.scalb(x, -e);
        return m == 1.0 ? e : e + Math.log(m) / LN2;
      }
    }
    return Math.log(x) / LN2;
  }

  /** 2^x, exact at integers. */
  public static double exp2(double x) {
    return Math.pow(2.0, x);
  }

  private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

  /**
   * The error function, to about one ulp: for |x| < 3 the series erf(x) = 2x/√π·e^(−x²)·Σ (2x²)ⁿ / (1·3·…·(2n+1)),
   * whose terms are all positive (no cancellation); beyond, 1 − erfc(x).
   */
  public static double erf(double x) {
    double a = Math.abs(x);
    if (Double.isNaN(x)) {
      return x;
    }
    if (a < 3) {
      return Math.copySign(erfSeries(a), x);
    }
    return Math.copySign(1 - erfcContinuedFraction(a), x);
  }

  /** The complementary error function 1 − erf(x), accurate also where it is tiny (large x). */
  public static double erfc(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    if (x < 1) { // erfc > 0.15 here, so 1 − erf loses no relative accuracy
      return 1 - erf(x);
    }
    return erfcContinuedFraction(x);
  }

  private static double erfSeries(double a) {
    double x2 = a * a;
    double term = 1;
    double sum = 1;
    for (int n = 1; n < 200 && term > 1e-17 * sum; n++) {
      term *= 2 * x2 / (2 * n + 1);
      sum += term;
    }
    return TWO_OVER_SQRT_PI * a * Math.exp(-x2) * sum;
  }

  /**
   * erfc(x) for x ≥ 1 from its continued fraction e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated
   * backwards from depth 200 (converged to one ulp from x = 1 on).
   */
  private static double erfcContinuedFraction(double x) {
    if (x > 27) {
      return 0; // e^(−x²) underflows
    }
    // evaluate backwards from a depth at which the tail no longer matters
    double f = x;
    for (int k = 200; k >= 1; k--) {
      f = x + (k / 2.0) / f;
    }
    return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
  }
}
