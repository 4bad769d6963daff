package dev.autograd;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.array.DType;
import dev.autograd.array.NDArray;
import dev.autograd.array.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares the engine's gradients with central finite differences in double precision, for any function of one or
 * more values with a scalar or tensor output. Defaults follow PyTorch's {@code gradcheck}: eps 1e-6, atol 1e-5,
 * rtol 1e-3; an element passes when |analytical − numerical| ≤ atol + rtol·|numerical|.
 *
 * <pre>{@code
 * GradCheck.create().verify(xs -> xs[0].mul(xs[1]).tanh().sum(), a, b);   // throws AssertionError on a mismatch
 * GradCheck.Result r = GradCheck.create().check(xs -> xs[0].exp(), a);     // or inspect a result
 * }</pre>
 *
 * <p>The full check builds the whole Jacobian (one backward pass per output element, two forward passes per input
 * element). {@link #withFastMode(boolean) Fast mode} instead compares random projections vᵀ·J·u per input, which
 * costs one backward and two forwards per input whatever the sizes. Every check also recomputes the analytical
 * gradient and requires it to be bitwise identical (reentrancy). Immutable; the {@code with} methods return copies.
 *
 * <p>Finite differences need double precision (a float32 step of 1e-6 is lost in rounding), so, like PyTorch's
 * gradcheck, the check runs in float64: float32 inputs are converted to float64 first, with a warning in the log,
 * and a function that converts to float32 internally fails the check with a message that says so.
 */
public final class GradCheck {
  private static final Logger log = LoggerFactory.getLogger(GradCheck.class);

  public static final double DEFAULT_EPS = 1e-6;
  public static final double DEFAULT_ATOL = 1e-5;
  public static final double DEFAULT_RTOL = 1e-3;
  private static final int MAX_REPORTED = 10;

  private final double eps;
  private final double atol;
  private final double rtol;
  private final boolean fastMode;
  private final long seed;

  private GradCheck(double eps, double atol, double rtol, boolean fastMode, long seed) {
    checkArgument(eps > 0 && Double.isFinite(eps), "GradCheck: eps must be positive and finite, got %s", eps);
    checkArgument(atol >= 0 && rtol >= 0, "GradCheck: tolerances must be >= 0, got atol %s, rtol %s", atol, rtol);
    this.eps = eps;
    this.atol = atol;
    this.rtol = rtol;
    this.fastMode = fastMode;
    this.seed = seed;
  }

  /** A checker with PyTorch's default eps and tolerances, full-Jacobian mode. */
  public static GradCheck create() {
    return new GradCheck(DEFAULT_EPS, DEFAULT_ATOL, DEFAULT_RTOL, false, 0L);
  }

  /** Finite-difference step. */
  public GradCheck withEps(double newEps) {
    return new GradCheck(newEps, atol, rtol, fastMode, seed);
  }

  public GradCheck withTolerance(double newAtol, double newRtol) {
    return new GradCheck(eps, newAtol, newRtol, fastMode, seed);
  }

  /** Random projections vᵀ·J·u instead of the full Jacobian (for large inputs). */
  public GradCheck withFastMode(boolean fast) {
    return new GradCheck(eps, atol, rtol, fast, seed);
  }

  /** Seed of the random projections (fast mode, second-order checks). */
  public GradCheck withSeed(long newSeed) {
    return new GradCheck(eps, atol, rtol, fastMode, newSeed);
  }

  /** One disagreement between analytical and numerical derivatives. */
  public record Mismatch(int input, int[] inputElement, int[] outputElement, double analytical, double numerical) {
    @Override
    public String toString() {
      String where = inputElement == null ? "projection vᵀJu"
          : "element " + Arrays.toString(inputElement) + " (output element " + Arrays.toString(outputElement) + ")";
      return String.format(java.util.Locale.ROOT, "input %d, %s: analytical %.10g vs numerical %.10g", input, where,
          analytical, numerical);
    }
  }

  /** Outcome of a check. */
  public static final class Result {
    private final List<Mismatch> mismatches;
    private final double worstRelativeError;
    private final int compared;
    private final String problem;

    Result(List<Mismatch> mismatches, double worstRelativeError, int compared, String problem) {
      this.mismatches = Collections.unmodifiableList(mismatches);
      this.worstRelativeError = worstRelativeError;
      this.compared = compared;
      this.problem = problem;
    }

    public boolean passed() {
      return mismatches.isEmpty() && problem == null;
    }

    /** Largest |a − n| / max(|a|, |n|, atol) over all compared entries. */
    public double worstRelativeError() {
      return worstRelativeError;
    }

    /** Entries outside tolerance, in input/element order. */
    public List<Mismatch> mismatches() {
      return mismatches;
    }

    /** How many Jacobian entries (or projections) were compared. */
    public int compared() {
      return compared;
    }

    /** A readable report: what failed, where, and the worst relative error. */
    public String describe() {
      if (passed()) {
        return String.format(java.util.Locale.ROOT, "GradCheck passed: %d entries, worst relative error %.3g",
            compared, worstRelativeError);
      }
      StringBuilder sb = new StringBuilder("GradCheck failed");
      if (problem != null) {
        sb.append(": ").append(problem);
      }
      if (!mismatches.isEmpty()) {
        sb.append(String.format(java.util.Locale.ROOT, ": %d of %d entries out of tolerance, worst relative error "
            + "%.3g", mismatches.size(), compared, worstRelativeError));
        for (Mismatch m : mismatches.subList(0, Math.min(MAX_REPORTED, mismatches.size()))) {
          sb.append("\n  ").append(m);
        }
        if (mismatches.size() > MAX_REPORTED) {
          sb.append("\n  ... and ").append(mismatches.size() - MAX_REPORTED).append(" more");
        }
      }
      return sb.toString();
    }

    @Override
    public String toString() {
      return describe();
    }
  }

  /** Checks first derivatives and returns the result. */
  public Result check(ValueFunction f, NDArray... inputs) {
    checkArgument(inputs.length > 0, "GradCheck: no inputs");
    NDArray[] xs = inFloat64(inputs);
    NDArray y = evaluate(f, xs);
    if (y.dtype() != DType.FLOAT64) {
      return new Result(List.of(), Double.NaN, 0, "the function returns " + y.dtype() + " for float64 inputs (it "
          + "converts to " + y.dtype() + " inside); finite differences need float64 throughout");
    }
    return fastMode ? checkProjections(f, xs, y.shape()) : checkJacobian(f, xs, y.shape());
  }

  /** The inputs in float64, saying which float32 ones were converted (PyTorch's gradcheck requires doubles). */
  private static NDArray[] inFloat64(NDArray[] inputs) {
    NDArray[] out = inputs.clone();
    List<Integer> converted = new ArrayList<>();
    for (int i = 0; i < out.length; i++) {
      if (out[i].dtype() != DType.FLOAT64) {
        out[i] = out[i].to(DType.FLOAT64);
        converted.add(i);
      }
    }
    if (!converted.isEmpty()) {
      log.warn("GradCheck runs in float64: float32 input(s) {} converted to float64 (finite differences in float32 "
          + "are rounding noise)", converted);
    }
    return out;
  }

  /** Checks first derivatives; throws {@link AssertionError} with {@link Result#describe()} on failure. */
  public void verify(ValueFunction f, NDArray... inputs) {
    throwIfFailed(check(f, inputs));
  }

  /**
   * Checks second derivatives: the gradient of h(x) = Σᵢ ⟨∂(vᵀf)/∂xᵢ, wᵢ⟩ (with random v, w, and the inner gradient
   * built with {@code createGraph}) is compared against finite differences of that inner gradient.
   */
  public Result checkSecondOrder(ValueFunction f, NDArray... inputs) {
    inputs = inFloat64(inputs);
    SplittableRandom rng = new SplittableRandom(seed);
    Value[] probe = leaves(inputs);
    NDArray v = randomDirection(rng, f.apply(probe).shape());
    NDArray[] w = new NDArray[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      w[i] = randomDirection(rng, inputs[i].shape());
    }
    ValueFunction h = xs -> {
      // the finite-difference side calls h on constants under noGrad: it still needs the inner gradient's value
      try (ModeScope scope = Autograd.enableGrad()) {
        Value[] tracked = xs.clone();
        for (int i = 0; i < tracked.length; i++) {
          if (!tracked[i].requiresGrad()) {
            tracked[i] = Value.of(xs[i].data()).requiresGrad(true);
          }
        }
        Value y = f.apply(tracked);
        if (!y.requiresGrad()) {
          return Value.scalar(0.0);
        }
        List<Value> gs = Autograd.grad(List.of(y), List.of(tracked), List.of(Value.of(v)), true, true);
        Value total = Value.scalar(0.0);
        for (int i = 0; i < tracked.length; i++) {
          total = total.add(gs.get(i).mul(Value.of(w[i])).sum());
        }
        return total;
      }
    };
    return check(h, inputs);
  }

  /** Like {@link #checkSecondOrder} but throws {@link AssertionError} on failure. */
  public void verifySecondOrder(ValueFunction f, NDArray... inputs) {
    throwIfFailed(checkSecondOrder(f, inputs));
  }

  private static void throwIfFailed(Result r) {
    if (!r.passed()) {
      throw new AssertionError(r.describe());
    }
  }

  // ------------------------------------------------------------------ full Jacobian

  private Result checkJacobian(ValueFunction f, NDArray[] inputs, int[] outShape) {
    double[][][] analytical = analyticalJacobian(f, inputs);
    double[][][] again = analyticalJacobian(f, inputs);
    String problem = Arrays.deepEquals(analytical, again) ? null
        : "the analytical gradient differs between two identical backward passes (non-reentrant backward)";
    int outSize = analytical.length == 0 ? 0 : analytical[0].length;
    List<Mismatch> mismatches = new ArrayList<>();
    double worst = 0;
    int compared = 0;
    for (int i = 0; i < inputs.length; i++) {
      double[] x = inputs[i].toArray();
      for (int e = 0; e < x.length; e++) {
        double[] numerical = centralDifference(f, inputs, i, unit(x.length, e));
        for (int j = 0; j < outSize; j++) {
          double a = analytical[i][j][e];
          double n = numerical[j];
          compared++;
          worst = Math.max(worst, relativeError(a, n));
          if (!close(a, n)) {
            mismatches.add(new Mismatch(i, unravel(e, inputs[i].shape()), unravel(j, outShape), a, n));
          }
        }
      }
    }
    return new Result(mismatches, worst, compared, problem);
  }

  /** [input][output element][input element]. */
  private static double[][][] analyticalJacobian(ValueFunction f, NDArray[] inputs) {
    Value[] xs = leaves(inputs);
    Value y = f.apply(xs);
    double[][][] jac = new double[inputs.length][y.size()][];
    for (int j = 0; j < y.size(); j++) {
      double[] oneHot = new double[y.size()];
      oneHot[j] = 1.0;
      NDArray seedArray = NDArray.fromFlat(oneHot, y.shape());
      List<Value> gs = y.requiresGrad()
          ? Autograd.grad(List.of(y), List.of(xs), List.of(Value.of(seedArray)), true, false)
          : null;
      for (int i = 0; i < inputs.length; i++) {
        jac[i][j] = gs == null ? new double[inputs[i].size()] : gs.get(i).data().toArray();
      }
    }
    return jac;
  }

  // ------------------------------------------------------------------ projections

  private Result checkProjections(ValueFunction f, NDArray[] inputs, int[] outShape) {
    SplittableRandom rng = new SplittableRandom(seed);
    NDArray v = randomDirection(rng, outShape);
    double[] analytical = projections(f, inputs, v);
    double[] again = projections(f, inputs, v);
    List<Mismatch> mismatches = new ArrayList<>();
    double worst = 0;
    SplittableRandom directions = rng.split();
    for (int i = 0; i < inputs.length; i++) {
      double[] u = randomDirection(directions, inputs[i].shape()).toArray();
      double[] diff = centralDifference(f, inputs, i, u);
      double n = dot(v.toArray(), diff);
      double a = analyticalProjection(analytical, i, inputs, u);
      worst = Math.max(worst, relativeError(a, n));
      if (!close(a, n)) {
        mismatches.add(new Mismatch(i, null, null, a, n));
      }
    }
    String problem = Arrays.equals(analytical, again) ? null
        : "the analytical gradient differs between two identical backward passes (non-reentrant backward)";
    return new Result(mismatches, worst, inputs.length, problem);
  }

  /** Flattened vᵀJ for all inputs, concatenated (the analytical half of the projections). */
  private static double[] projections(ValueFunction f, NDArray[] inputs, NDArray v) {
    Value[] xs = leaves(inputs);
    Value y = f.apply(xs);
    int total = 0;
    for (NDArray in : inputs) {
      total += in.size();
    }
    double[] flat = new double[total];
    if (!y.requiresGrad()) {
      return flat;
    }
    List<Value> gs = Autograd.grad(List.of(y), List.of(xs), List.of(Value.of(v)), true, false);
    int at = 0;
    for (Value g : gs) {
      double[] d = g.data().toArray();
      System.arraycopy(d, 0, flat, at, d.length);
      at += d.length;
    }
    return flat;
  }

  /** (vᵀJ)·u restricted to one input's block of the concatenated vᵀJ. */
  private static double analyticalProjection(double[] vtj, int input, NDArray[] inputs, double[] u) {
    int at = 0;
    for (int i = 0; i < input; i++) {
      at += inputs[i].size();
    }
    double s = 0;
    for (int e = 0; e < u.length; e++) {
      s += vtj[at + e] * u[e];
    }
    return s;
  }

  // ------------------------------------------------------------------ shared

  /** (f(x + eps·u) − f(x − eps·u)) / 2eps, flattened, with u applied to input {@code which}. */
  private double[] centralDifference(ValueFunction f, NDArray[] inputs, int which, double[] u) {
    double[] plus = evaluate(f, shifted(inputs, which, u, eps)).toArray();
    double[] minus = evaluate(f, shifted(inputs, which, u, -eps)).toArray();
    double[] d = new double[plus.length];
    for (int j = 0; j < d.length; j++) {
      d[j] = (plus[j] - minus[j]) / (2 * eps);
    }
    return d;
  }

  private static NDArray[] shifted(NDArray[] inputs, int which, double[] u, double step) {
    NDArray[] out = inputs.clone();
    double[] x = inputs[which].toArray();
    for (int e = 0; e < x.length; e++) {
      x[e] += step * u[e];
    }
    out[which] = NDArray.fromFlat(x, inputs[which].shape());
    return out;
  }

  /** f on constant inputs, without recording a graph (the finite-difference side). */
  private static NDArray evaluate(ValueFunction f, NDArray[] inputs) {
    try (ModeScope s = Autograd.noGrad()) {
      Value[] xs = new Value[inputs.length];
      for (int i = 0; i < inputs.length; i++) {
        xs[i] = Value.of(inputs[i]);
      }
      return f.apply(xs).data();
    }
  }

  private static Value[] leaves(NDArray[] inputs) {
    Value[] xs = new Value[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      xs[i] = Value.of(inputs[i]).requiresGrad(true);
    }
    return xs;
  }

  private boolean close(double a, double n) {
    return Math.abs(a - n) <= atol + rtol * Math.abs(n) || (Double.isNaN(a) && Double.isNaN(n));
  }

  private double relativeError(double a, double n) {
    double err = Math.abs(a - n) / Math.max(Math.max(Math.abs(a), Math.abs(n)), Math.max(atol, Double.MIN_NORMAL));
    return Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
  }

  private static double[] unit(int n, int e) {
    double[] u = new double[n];
    u[e] = 1.0;
    return u;
  }

  private static int[] unravel(int flat, int[] shape) {
    int[] idx = new int[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = flat % shape[d];
      flat /= shape[d];
    }
    return idx;
  }

  /** Entries from a triangular distribution on (-2, 2): smooth, bounded and rarely near 0. */
  private static NDArray randomDirection(SplittableRandom rng, int[] shape) {
    double[] d = new double[Shapes.size(shape)];
    for (int i = 0; i < d.length; i++) {
      d[i] = rng.nextDouble(-1.0, 1.0) + rng.nextDouble(-1.0, 1.0);
    }
    return NDArray.fromFlat(d, shape);
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
