package dev.autograd.nn.optim;

import static com.google.common.base.Preconditions.checkArgument;
import static dev.autograd.nn.optim.StrongWolfe.dot;
import static dev.autograd.nn.optim.StrongWolfe.maxAbs;

import dev.autograd.Autograd;
import dev.autograd.ModeScope;
import dev.autograd.Value;
import dev.autograd.array.DType;
import dev.autograd.array.MutableArray;
import dev.autograd.array.NDArray;
import dev.autograd.array.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * L-BFGS as PyTorch's {@code torch.optim.LBFGS} (itself after minFunc), for full-batch deterministic problems. Each
 * {@link #step(Supplier)} runs up to {@code maxIter} iterations: the two-loop recursion over the last
 * {@code historySize} curvature pairs (s, y) (a pair is kept only when yᵀs > 1e-10) gives the direction d, scaled by
 * H = yᵀs/yᵀy of the newest pair; the first step ever has length min(1, 1/‖g‖₁)·lr. With
 * {@code lineSearchFn("strong_wolfe")} the step length comes from a line search satisfying the strong Wolfe
 * conditions (c₁ = 1e-4, c₂ = 0.9, at most 25 evaluations, cubic interpolation), otherwise it is lr. An iteration
 * stops the step when ‖g‖∞ ≤ toleranceGrad, when gᵀd > −toleranceChange, when ‖t·d‖∞ ≤ toleranceChange or the
 * loss changes by less than toleranceChange, or after {@code maxEval} evaluations of the closure.
 *
 * <p>The closure re-evaluates the model: it clears the gradients, computes the loss, calls {@code backward()} and
 * returns the loss, as in PyTorch. It is called several times per step. All parameters form one group (PyTorch
 * supports no others); a parameter without a gradient counts as a zero gradient. Its state (the history, the last
 * direction and step) is saved under keys {@code lbfgs.*} with {@link #stateDict()}.
 *
 * <p>The flat vectors (direction, previous gradient, the curvature pairs) are of the parameters' dtype, as PyTorch's
 * are: for float32 parameters they are rounded to float32, the history (the bulk of the state,
 * 2·historySize·numel numbers) is stored as floats, and {@link #stateDict()} saves them as float32. The arithmetic
 * over them (dot products, the two-loop recursion) runs in double precision.
 */
public final class LBFGS extends Optimizer {
  private final List<Value> params;
  private final int numel;
  private final int maxIter;
  private final int maxEval;
  private final double toleranceGrad;
  private final double toleranceChange;
  private final int historySize;
  private final boolean strongWolfe;

  private int funcEvals;
  private int iterations;
  private double[] d;
  private double t;
  private final List<Stored> oldDirs = new ArrayList<>();
  private final List<Stored> oldSteps = new ArrayList<>();
  private final List<Double> ro = new ArrayList<>();
  private double hDiag = 1;
  private double[] prevFlatGrad;
  private double prevLoss;

  /**
   * {@code LBFGS.builder(params).lr(1).maxIter(20).historySize(100).lineSearchFn("strong_wolfe").build()}; PyTorch's
   * defaults: lr 1, maxIter 20, maxEval maxIter·5/4, toleranceGrad 1e-7, toleranceChange 1e-9, historySize 100, no
   * line search.
   */
  public static Builder builder(List<Value> params) {
    return new Builder(params);
  }

  /** Named options for {@link LBFGS}. */
  public static final class Builder extends Optimizer.Builder<Builder, LBFGS> {
    private int maxIter = 20;
    private Integer maxEval;
    private double toleranceGrad = 1e-7;
    private double toleranceChange = 1e-9;
    private int historySize = 100;
    private String lineSearchFn;

    private Builder(List<Value> params) {
      super(params, 1);
    }

    /** Iterations per {@link LBFGS#step(Supplier)}. */
    public Builder maxIter(int maxIter) {
      this.maxIter = maxIter;
      return this;
    }

    /** Closure evaluations per step; default maxIter·5/4. */
    public Builder maxEval(int maxEval) {
      this.maxEval = maxEval;
      return this;
    }

    public Builder toleranceGrad(double toleranceGrad) {
      this.toleranceGrad = toleranceGrad;
      return this;
    }

    public Builder toleranceChange(double toleranceChange) {
      this.toleranceChange = toleranceChange;
      return this;
    }

    public Builder historySize(int historySize) {
      this.historySize = historySize;
      return this;
    }

    /** {@code "strong_wolfe"} or {@code null} (a fixed step of lr). */
    public Builder lineSearchFn(String lineSearchFn) {
      this.lineSearchFn = lineSearchFn;
      return this;
    }

    @Override
    public LBFGS build() {
      return new LBFGS(groups());
    }
  }

  private LBFGS(List<Builder> groups) {
    super(groups);
    checkArgument(groups.size() == 1, "LBFGS: doesn't support per-parameter options (parameter groups), got %s groups",
        groups.size());
    Builder b = groups.get(0);
    checkArgument(b.weightDecay == 0, "LBFGS: has no weight decay, got %s", b.weightDecay);
    checkArgument(b.maxIter > 0, "LBFGS: maxIter must be > 0, got %s", b.maxIter);
    this.maxIter = b.maxIter;
    this.maxEval = b.maxEval == null ? b.maxIter * 5 / 4 : b.maxEval;
    checkArgument(maxEval > 0, "LBFGS: maxEval must be > 0, got %s", maxEval);
    checkHyper("LBFGS", "toleranceGrad", b.toleranceGrad, 0, Double.MAX_VALUE);
    checkHyper("LBFGS", "toleranceChange", b.toleranceChange, 0, Double.MAX_VALUE);
    checkArgument(b.historySize > 0, "LBFGS: historySize must be > 0, got %s", b.historySize);
    checkArgument(b.lineSearchFn == null || b.lineSearchFn.equals("strong_wolfe"),
        "LBFGS: only 'strong_wolfe' is supported as lineSearchFn, got '%s'", b.lineSearchFn);
    this.toleranceGrad = b.toleranceGrad;
    this.toleranceChange = b.toleranceChange;
    this.historySize = b.historySize;
    this.strongWolfe = b.lineSearchFn != null;
    this.params = parameters();
    this.numel = params.stream().mapToInt(Value::size).sum();
  }

  /** L-BFGS needs to re-evaluate the loss: use {@link #step(Supplier)}. */
  @Override
  public void step() {
    throw new IllegalStateException("LBFGS: step needs a closure that re-evaluates the loss: use step(closure)");
  }

  @Override
  protected void update(int index, MutableArray param, NDArray grad, int step) {
    throw new AssertionError("LBFGS updates all parameters together");
  }

  /**
   * One optimisation step of up to {@code maxIter} iterations (see the class comment). Returns the loss of the
   * closure's first evaluation, at the parameters before the step, as PyTorch.
   */
  @Override
  public Value step(Supplier<Value> closure) {
    Value origLoss = evaluate(closure);
    double loss = origLoss.item();
    int currentEvals = 1;
    funcEvals++;
    double[] flatGrad = gatherFlatGrad();
    if (maxAbs(flatGrad) <= toleranceGrad) {
      return origLoss;
    }
    DType dtype = flatDtype();
    double lr = learningRate();
    int nIter = 0;
    while (nIter < maxIter) {
      nIter++;
      iterations++;
      if (iterations == 1) {
        d = rounded(scaled(flatGrad, -1), dtype);
        oldDirs.clear();
        oldSteps.clear();
        ro.clear();
        hDiag = 1;
      } else {
        double[] y = new double[numel];
        double[] s = new double[numel];
        for (int i = 0; i < numel; i++) { // rounded as stored, so that ys and yy describe the pair kept
          y[i] = dtype.round(flatGrad[i] - prevFlatGrad[i]);
          s[i] = dtype.round(d[i] * t);
        }
        double ys = dot(y, s);
        if (ys > 1e-10) {
          if (oldDirs.size() == historySize) {
            oldDirs.remove(0);
            oldSteps.remove(0);
            ro.remove(0);
          }
          oldDirs.add(Stored.of(y, dtype));
          oldSteps.add(Stored.of(s, dtype));
          ro.add(1 / ys);
          hDiag = ys / dot(y, y);
        }
        d = rounded(twoLoop(flatGrad), dtype);
      }
      prevFlatGrad = rounded(flatGrad.clone(), dtype);
      prevLoss = loss;
      t = iterations == 1 ? Math.min(1.0, 1.0 / sumAbs(flatGrad)) * lr : lr;
      double gtd = dot(flatGrad, d);
      if (gtd > -toleranceChange) {
        break;
      }
      int lsFuncEvals = 0;
      boolean optCond = false;
      if (strongWolfe) {
        NDArray[] xInit = snapshotParams();
        double[] dir = d;
        StrongWolfe.Result r = StrongWolfe.search(step -> directional(closure, xInit, step, dir), t, d, loss,
            flatGrad, gtd, toleranceChange);
        loss = r.loss();
        flatGrad = r.grad();
        t = r.t();
        lsFuncEvals = r.evals();
        addToParams(t, d);
        optCond = maxAbs(flatGrad) <= toleranceGrad;
      } else {
        addToParams(t, d);
        if (nIter != maxIter) {
          loss = evaluate(closure).item();
          flatGrad = gatherFlatGrad();
          optCond = maxAbs(flatGrad) <= toleranceGrad;
          lsFuncEvals = 1;
        }
      }
      currentEvals += lsFuncEvals;
      funcEvals += lsFuncEvals;
      if (nIter == maxIter || currentEvals >= maxEval || optCond) {
        break;
      }
      if (maxAbs(d) * Math.abs(t) <= toleranceChange || Math.abs(loss - prevLoss) < toleranceChange) {
        break;
      }
    }
    return origLoss;
  }

  /** Closure evaluations so far (PyTorch's {@code state['func_evals']}). */
  public int functionEvaluations() {
    return funcEvals;
  }

  /** Iterations so far (PyTorch's {@code state['n_iter']}). */
  public int iterations() {
    return iterations;
  }

  private double[] twoLoop(double[] flatGrad) {
    int k = oldDirs.size();
    double[] al = new double[k];
    double[] q = scaled(flatGrad, -1);
    for (int i = k - 1; i >= 0; i--) {
      al[i] = oldSteps.get(i).dot(q) * ro.get(i);
      oldDirs.get(i).addTo(-al[i], q);
    }
    double[] r = scaled(q, hDiag);
    for (int i = 0; i < k; i++) {
      double be = oldDirs.get(i).dot(r) * ro.get(i);
      oldSteps.get(i).addTo(al[i] - be, r);
    }
    return r;
  }

  /** The dtype of the flat vectors: float32 when every parameter is, else float64 (as torch.cat promotes). */
  private DType flatDtype() {
    DType dtype = DType.FLOAT32;
    for (Value p : params) {
      dtype = DType.promote(dtype, p.dtype());
    }
    return dtype;
  }

  /** {@code v} with each element rounded to {@code dtype} (in place; unchanged for float64). */
  private static double[] rounded(double[] v, DType dtype) {
    if (dtype == DType.FLOAT32) {
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) v[i];
      }
    }
    return v;
  }

  /** A vector of the curvature history in the parameters' dtype: floats for float32 (half the memory), else doubles. */
  private static final class Stored {
    private final double[] doubles;
    private final float[] floats;

    private Stored(double[] doubles, float[] floats) {
      this.doubles = doubles;
      this.floats = floats;
    }

    /** {@code v}, already rounded to {@code dtype}, stored as that dtype (exactly). */
    static Stored of(double[] v, DType dtype) {
      if (dtype == DType.FLOAT64) {
        return new Stored(v, null);
      }
      float[] f = new float[v.length];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) v[i];
      }
      return new Stored(null, f);
    }

    /** Σ this·x. */
    double dot(double[] x) {
      double s = 0;
      if (doubles != null) {
        for (int i = 0; i < x.length; i++) {
          s += doubles[i] * x[i];
        }
      } else {
        for (int i = 0; i < x.length; i++) {
          s += floats[i] * x[i];
        }
      }
      return s;
    }

    /** y ← y + alpha·this. */
    void addTo(double alpha, double[] y) {
      if (doubles != null) {
        for (int i = 0; i < y.length; i++) {
          y[i] += alpha * doubles[i];
        }
      } else {
        for (int i = 0; i < y.length; i++) {
          y[i] += alpha * floats[i];
        }
      }
    }

    /** As an array of {@code dtype}. */
    NDArray array(DType dtype) {
      NDArray a = doubles != null ? NDArray.of(doubles) : NDArray.fromFlat(floats, floats.length);
      return a.to(dtype);
    }
  }

  /** Loss and gradient at x + t·d, the parameters put back to x afterwards (PyTorch's directional evaluate). */
  private StrongWolfe.Evaluation directional(Supplier<Value> closure, NDArray[] x, double step, double[] dir) {
    addToParams(step, dir);
    double loss = evaluate(closure).item();
    double[] grad = gatherFlatGrad();
    restoreParams(x);
    return new StrongWolfe.Evaluation(loss, grad);
  }

  private static Value evaluate(Supplier<Value> closure) {
    try (ModeScope s = Autograd.enableGrad()) {
      Value loss = closure.get();
      checkArgument(loss != null && loss.size() == 1, "LBFGS: the closure must return a one-element loss, got %s",
          loss == null ? "null" : Shapes.lazyFormat(loss.shape()));
      return loss;
    }
  }

  private double[] gatherFlatGrad() {
    double[] flat = new double[numel];
    int offset = 0;
    for (Value p : params) {
      if (p.grad() != null) {
        double[] g = p.grad().toArray();
        System.arraycopy(g, 0, flat, offset, g.length);
      }
      offset += p.size();
    }
    return flat;
  }

  private void addToParams(double step, double[] dir) {
    try (ModeScope s = Autograd.noGrad()) {
      int offset = 0;
      for (Value p : params) {
        int n = p.size();
        p.mutableData().scaleAdd(1, step, NDArray.fromFlat(Arrays.copyOfRange(dir, offset, offset + n), p.shape()));
        offset += n;
      }
    }
  }

  private NDArray[] snapshotParams() {
    NDArray[] x = new NDArray[params.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = params.get(i).mutableData().snapshot();
    }
    return x;
  }

  private void restoreParams(NDArray[] x) {
    try (ModeScope s = Autograd.noGrad()) {
      for (int i = 0; i < x.length; i++) {
        params.get(i).mutableData().set(x[i]);
      }
    }
  }

  private static double[] scaled(double[] x, double alpha) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = alpha * x[i];
    }
    return out;
  }

  private static double sumAbs(double[] x) {
    double s = 0;
    for (double v : x) {
      s += Math.abs(v);
    }
    return s;
  }

  @Override
  protected Set<String> bufferNames() {
    return Set.of();
  }

  private static final String PREFIX = "lbfgs.";

  @Override
  protected void saveExtraState(Map<String, NDArray> state) {
    state.put(PREFIX + "func_evals", NDArray.scalar(funcEvals));
    state.put(PREFIX + "n_iter", NDArray.scalar(iterations));
    if (iterations == 0) {
      return;
    }
    DType dtype = flatDtype();
    state.put(PREFIX + "d", NDArray.of(d).to(dtype));
    state.put(PREFIX + "t", NDArray.scalar(t));
    state.put(PREFIX + "H_diag", NDArray.scalar(hDiag));
    state.put(PREFIX + "prev_flat_grad", NDArray.of(prevFlatGrad).to(dtype));
    state.put(PREFIX + "prev_loss", NDArray.scalar(prevLoss));
    state.put(PREFIX + "ro", NDArray.of(ro.stream().mapToDouble(Double::doubleValue).toArray()));
    if (!oldDirs.isEmpty()) {
      state.put(PREFIX + "old_dirs", NDArray.stack(0, oldDirs.stream().map(v -> v.array(dtype))
          .toArray(NDArray[]::new)));
      state.put(PREFIX + "old_stps", NDArray.stack(0, oldSteps.stream().map(v -> v.array(dtype))
          .toArray(NDArray[]::new)));
    }
  }

  @Override
  protected Runnable loadExtraState(Map<String, NDArray> extra) {
    Set<String> known = Set.of("func_evals", "n_iter", "d", "t", "H_diag", "prev_flat_grad", "prev_loss", "ro",
        "old_dirs", "old_stps");
    for (String key : extra.keySet()) {
      checkArgument(key.startsWith(PREFIX) && known.contains(key.substring(PREFIX.length())),
          "loadStateDict: unexpected key '%s' for LBFGS (it keeps %s%s)", key, PREFIX, known);
    }
    int evals = count(extra, "func_evals");
    int iters = count(extra, "n_iter");
    if (iters == 0) {
      return () -> {
        funcEvals = evals;
        iterations = 0;
      };
    }
    DType dtype = flatDtype();
    double[] newD = rounded(vector(extra, "d", numel), dtype);
    double[] newPrevGrad = rounded(vector(extra, "prev_flat_grad", numel), dtype);
    double newT = scalar(extra, "t");
    double newH = scalar(extra, "H_diag");
    double newPrevLoss = scalar(extra, "prev_loss");
    double[] newRo = extra.containsKey(PREFIX + "ro") ? extra.get(PREFIX + "ro").toArray() : new double[0];
    int k = newRo.length;
    checkArgument(k <= historySize, "loadStateDict: the state has %s curvature pairs, historySize is %s", k,
        historySize);
    List<Stored> dirs = rows(extra, "old_dirs", k, dtype);
    List<Stored> stps = rows(extra, "old_stps", k, dtype);
    return () -> {
      funcEvals = evals;
      iterations = iters;
      d = newD;
      t = newT;
      hDiag = newH;
      prevFlatGrad = newPrevGrad;
      prevLoss = newPrevLoss;
      ro.clear();
      Arrays.stream(newRo).forEach(ro::add);
      oldDirs.clear();
      oldDirs.addAll(dirs);
      oldSteps.clear();
      oldSteps.addAll(stps);
    };
  }

  private static NDArray entry(Map<String, NDArray> extra, String name) {
    NDArray a = extra.get(PREFIX + name);
    checkArgument(a != null, "loadStateDict: LBFGS state lacks '%s%s'", PREFIX, name);
    return a;
  }

  private static int count(Map<String, NDArray> extra, String name) {
    if (!extra.containsKey(PREFIX + name)) {
      return 0;
    }
    double v = scalar(extra, name);
    checkArgument(v >= 0 && v == Math.rint(v) && v <= Integer.MAX_VALUE,
        "loadStateDict: '%s%s' must be a non-negative integer, got %s", PREFIX, name, v);
    return (int) v;
  }

  private static double scalar(Map<String, NDArray> extra, String name) {
    NDArray a = entry(extra, name);
    checkArgument(a.size() == 1, "loadStateDict: '%s%s' must hold one number, got shape %s", PREFIX, name,
        Shapes.lazyFormat(a.shape()));
    return a.item();
  }

  private static double[] vector(Map<String, NDArray> extra, String name, int n) {
    NDArray a = entry(extra, name);
    checkArgument(a.rank() == 1 && a.size() == n, "loadStateDict: '%s%s' must have shape [%s], got %s", PREFIX, name,
        n, Shapes.lazyFormat(a.shape()));
    return a.toArray();
  }

  private List<Stored> rows(Map<String, NDArray> extra, String name, int k, DType dtype) {
    List<Stored> out = new ArrayList<>();
    if (k == 0) {
      checkArgument(!extra.containsKey(PREFIX + name), "loadStateDict: '%s%s' given without '%sro'", PREFIX, name,
          PREFIX);
      return out;
    }
    NDArray a = entry(extra, name);
    checkArgument(a.rank() == 2 && a.dim(0) == k && a.dim(1) == numel,
        "loadStateDict: '%s%s' must have shape [%s, %s], got %s", PREFIX, name, k, numel,
        Shapes.lazyFormat(a.shape()));
    for (double[] row : a.toArray2D()) {
      out.add(Stored.of(rounded(row, dtype), dtype));
    }
    return out;
  }
}
