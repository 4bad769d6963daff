package dev.autograd;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import dev.autograd.array.DType;
import dev.autograd.array.MutableArray;
import dev.autograd.array.NDArray;
import dev.autograd.array.Shapes;
import java.util.random.RandomGenerator;

/**
 * A node of the computation graph: an {@link NDArray} (rank 0 for scalars) plus, when it needs a gradient, the
 * inputs it was computed from and the local derivative of the op that produced it.
 *
 * <p>Graphs are built by running ordinary code (define-by-run). Mark leaves with {@link #requiresGrad(boolean)}; every op
 * on a value that requires a gradient records itself, unless it runs inside {@link Autograd#noGrad()}. Calling
 * {@link #backward()} on a result fills {@link #grad()} of the leaves:
 *
 * <pre>{@code
 * Value x = Value.scalar(-4.0).requiresGrad(true);
 * Value y = x.pow(3).add(x.mul(2)).add(x.exp());
 * y.backward();
 * x.grad();   // dy/dx = 3x² + 2 + e^x
 * }</pre>
 *
 * <p>Binary ops broadcast like NumPy; gradients of broadcast inputs are summed back to their shapes. Subgradients at
 * kinks: relu'(0) = 0, |x|'(0) = 0, ties in max/min/maximum/minimum share the gradient evenly, and
 * {@code pow(x, 0)} has gradient 0 everywhere.
 *
 * <p>A value is not thread-safe while its graph is being built or differentiated; separate threads should build
 * separate graphs.
 */
public final class Value extends GraphNode {
  /** The op name of every leaf; compared by identity, so a custom op that happens to be called "leaf" is no leaf. */
  private static final String LEAF = "leaf";

  /** The forward result; {@code null} for a scalar-lane value until someone asks for the array. */
  private NDArray data;
  /** The forward result of a scalar-lane value (rank 0, see {@link PointwiseOp}) while {@code data} is null. */
  private double scalar;
  private final String op;
  private boolean requiresGrad;
  /** State that few values have, kept apart so that the graph's many nodes stay small; null until needed. */
  private Rare rare;

  /**
   * A node; with a rule, a recorded op that requires a gradient, else a leaf or constant ({@code mode} may then be
   * null).
   */
  private Value(GraphMode mode, NDArray data, String op, Value in0, Value in1, Value[] moreInputs,
      BackwardRule rule, String createdAt) {
    super(mode, in0, in1, moreInputs, rule);
    this.data = data;
    this.op = op;
    this.requiresGrad = rule != null;
    this.rare = createdAt == null ? null : new Rare(createdAt);
  }

  /** The few fields that only labelled, retained, anomaly-tracked or in-place-updated values need. */
  private static final class Rare {
    String label;
    final String createdAt;
    boolean retainsGrad;
    /** Set while this leaf's data is a private buffer that may be updated in place. */
    MutableArray mutable;
    /** {@link #data()} of a mutable leaf: a copy of the buffer as it was at {@link #snapshotVersion}. */
    NDArray snapshot;
    int snapshotVersion;
    /** Bumped by every change of a leaf's data. */
    int version;
    NDArray grad;

    Rare(String createdAt) {
      this.createdAt = createdAt;
    }
  }

  private Rare rare() {
    if (rare == null) {
      rare = new Rare(null);
    }
    return rare;
  }

  @Override
  int version() {
    return rare == null ? 0 : rare.version;
  }

  /**
   * Records the result of an op. The node keeps its parents and rule only when grad mode is on and some parent needs
   * a gradient; otherwise it is a constant. Inside {@link Autograd#detectAnomaly()} a non-finite result fails here.
   */
  static Value record(String op, NDArray result, BackwardRule rule, Value... parents) {
    result = unshared(result, parents);
    GraphMode mode = GraphMode.current();
    String site = mode.detectAnomaly ? CallSite.capture() : null;
    if (mode.detectAnomaly && !result.allFinite()) {
      throw new AnomalyException("op '" + op + "' produced NaN or infinity in its forward result (shape "
          + Shapes.format(result.shape()) + "), created at " + site);
    }
    if (mode.gradEnabled && tracksAny(parents)) {
      return parents.length <= 2
          ? new Value(mode, result, op, parents[0], parents.length > 1 ? parents[1] : null, null, rule, site)
          : new Value(mode, result, op, null, null, parents, rule, site);
    }
    return new Value(mode, result, op, null, null, null, null, site);
  }

  /**
   * {@link #record} for a rank-0 result of a pointwise op on rank-0 inputs, kept as a plain double; {@code b} is
   * null for a unary op.
   */
  static Value recordScalar(PointwiseOp op, double result, Value a, Value b) {
    GraphMode mode = GraphMode.current();
    String site = mode.detectAnomaly ? CallSite.capture() : null;
    if (mode.detectAnomaly && !Double.isFinite(result)) {
      throw new AnomalyException("op '" + op.name + "' produced NaN or infinity in its forward result (shape []), "
          + "created at " + site);
    }
    Value v;
    if (mode.gradEnabled && (a.requiresGrad || (b != null && b.requiresGrad))) {
      v = new Value(mode, null, op.name, a, b, null, op, site);
    } else {
      v = new Value(mode, null, op.name, null, null, null, null, site);
    }
    v.scalar = result;
    return v;
  }

  /**
   * {@code result}, or a copy of it when it is a view of a parent's mutable buffer (a reshape or slice of a
   * parameter read through {@link #array()}): an op's result must not change when an optimizer updates the parameter.
   */
  private static NDArray unshared(NDArray result, Value[] parents) {
    for (Value p : parents) {
      Rare r = p.rare;
      if (r != null && r.mutable != null && r.mutable.backs(result)) {
        return result.copy();
      }
    }
    return result;
  }

  private static boolean tracksAny(Value[] parents) {
    for (Value p : parents) {
      if (p.requiresGrad) {
        return true;
      }
    }
    return false;
  }

  private static Value leaf(NDArray data) {
    if (checkNotNull(data, "data").rank() == 0 && data.dtype() == DType.FLOAT64) {
      return scalar(data.item());
    }
    return new Value(null, data, LEAF, null, null, null, null, null);
  }

  // ---------------------------------------------------------------- creation

  /** A rank-0 leaf. */
  public static Value scalar(double value) {
    Value v = new Value(null, null, LEAF, null, null, null, null, null);
    v.scalar = value;
    return v;
  }

  /** A 1-d leaf. */
  public static Value of(double... values) {
    return leaf(NDArray.of(values));
  }

  /** A 2-d leaf from equal-length rows. */
  public static Value of(double[][] rows) {
    return leaf(NDArray.of(rows));
  }

  /**
   * A leaf wrapping {@code array} (arrays are immutable, so no copy is needed). A rank-0 array is kept as its number,
   * like {@link #scalar}; {@link #data()} then returns an equal array.
   */
  public static Value of(NDArray array) {
    return leaf(array);
  }

  /** A rank-0 leaf of {@code dtype}. */
  public static Value scalar(double value, DType dtype) {
    return dtype == DType.FLOAT64 ? scalar(value) : leaf(NDArray.scalar(value, dtype));
  }

  public static Value zeros(int... shape) {
    return leaf(NDArray.zeros(shape));
  }

  public static Value zeros(DType dtype, int... shape) {
    return leaf(NDArray.zeros(dtype, shape));
  }

  public static Value ones(int... shape) {
    return leaf(NDArray.ones(shape));
  }

  public static Value ones(DType dtype, int... shape) {
    return leaf(NDArray.ones(dtype, shape));
  }

  public static Value full(double value, int... shape) {
    return leaf(NDArray.full(value, shape));
  }

  public static Value full(DType dtype, double value, int... shape) {
    return leaf(NDArray.full(dtype, value, shape));
  }

  public static Value arange(int n) {
    return leaf(NDArray.arange(n));
  }

  /** Standard normal samples from {@code rng}. */
  public static Value randn(RandomGenerator rng, int... shape) {
    return leaf(NDArray.randn(rng, shape));
  }

  /** Standard normal samples of {@code dtype} from {@code rng}. */
  public static Value randn(RandomGenerator rng, DType dtype, int... shape) {
    return leaf(NDArray.randn(rng, dtype, shape));
  }

  /** Uniform samples in [0, 1) from {@code rng}. */
  public static Value rand(RandomGenerator rng, int... shape) {
    return leaf(NDArray.rand(rng, shape));
  }

  /** Uniform samples in [low, high) from {@code rng}. */
  public static Value uniform(RandomGenerator rng, double low, double high, int... shape) {
    return leaf(NDArray.uniform(rng, low, high, shape));
  }

  // ---------------------------------------------------------------- state

  /**
   * Marks this leaf as a variable to differentiate with respect to (or, with {@code false}, no longer); returns
   * {@code this}. PyTorch's {@code x.requires_grad_(True)}; {@link #requiresGrad()} is the query.
   *
   * @throws IllegalStateException if this value was computed by an op (use {@link #retainGrad()} there)
   */
  public Value requiresGrad(boolean requires) {
    checkState(isLeaf(), "requiresGrad(%s): only leaves can be marked; this value is the output of '%s'. "
        + "Use retainGrad() to keep an intermediate gradient, or detach() for a constant.", requires, op);
    requiresGrad = requires;
    return this;
  }

  /**
   * Whether a gradient flows to this value: a marked leaf, or computed from one with recording on (PyTorch's
   * {@code x.requires_grad}).
   */
  public boolean requiresGrad() {
    return requiresGrad;
  }

  /** Keep {@link #grad()} on this intermediate value during backward (leaves always keep theirs). */
  public Value retainGrad() {
    checkState(requiresGrad, "retainGrad(): this value does not require a gradient (op '%s')", op);
    rare().retainsGrad = true;
    return this;
  }

  /** True for values not produced by a recorded op: inputs, parameters and constants. */
  public boolean isLeaf() {
    return op == LEAF;
  }

  /** The values this one was computed from (empty for leaves and constants). */
  public java.util.List<Value> parents() {
    return java.util.List.of(parentArray());
  }

  /** Name of the op that produced this value ({@code "leaf"} for leaves). */
  public String op() {
    return op;
  }

  /**
   * The forward result, an immutable array. For a leaf updated in place by an optimizer (see {@link #mutableData()})
   * it is a copy of the contents at the time of the call, made once per update: later updates never change an array
   * you hold, and a graph recorded from it ({@code Value.of(p.data())}, {@link #detach()}) stays valid.
   */
  public NDArray data() {
    if (data == null) { // a scalar-lane value: its array is made on demand (the same array every time after that)
      data = NDArray.scalar(scalar);
    }
    Rare r = rare;
    if (r != null && r.mutable != null) {
      if (r.snapshot == null || r.snapshotVersion != r.version) {
        r.snapshot = r.mutable.snapshot();
        r.snapshotVersion = r.version;
      }
      return r.snapshot;
    }
    return data;
  }

  /**
   * The data for an op's own arithmetic: {@link #data()}, except that a leaf being updated in place (a parameter,
   * see {@link #mutableData()}) gives a view of its buffer rather than a snapshot, so that a training step does not
   * copy every parameter after every update. Safe because an op only computes from it: {@link #record} copies a
   * result that would share the buffer, and backward of a graph recorded before a later write throws (the version
   * check) before a rule could read the changed buffer. Never hand it to users: {@link #data()} is the immutable one.
   */
  NDArray array() {
    Rare r = rare;
    return r != null && r.mutable != null ? r.mutable.view() : data();
  }

  /** The single element of a rank-0 value, without making an array for a scalar-lane one. */
  double scalar() {
    return data == null ? scalar : data().item();
  }

  /** Accumulated gradient, or {@code null} until a backward pass reaches this value. */
  public NDArray grad() {
    return rare == null ? null : rare.grad;
  }

  /**
   * Replaces the accumulated gradient, e.g. for gradient clipping; {@code null} clears it.
   *
   * @throws IllegalArgumentException if the shape differs from this value's
   */
  public void setGrad(NDArray newGrad) {
    checkArgument(newGrad == null || java.util.Arrays.equals(newGrad.shape(), shape()),
        "setGrad: gradient shape %s differs from the value's shape %s",
        newGrad == null ? "" : Shapes.lazyFormat(newGrad.shape()), Shapes.lazyFormat(shape()));
    if (newGrad != null || rare != null) {
      rare().grad = newGrad;
    }
  }

  /** Clears the accumulated gradient (back to {@code null}). */
  public void zeroGrad() {
    setGrad(null);
  }

  /**
   * Replaces the data of a leaf, e.g. for an optimizer step. The shape must stay the same; the dtype may change
   * (as assigning PyTorch's {@code p.data} can).
   *
   * @throws IllegalStateException for a value produced by an op (its gradient would no longer match)
   */
  public void setData(NDArray newData) {
    checkState(isLeaf(), "setData: only a leaf's data can be replaced, this value is the output of '%s'", op);
    checkArgument(java.util.Arrays.equals(newData.shape(), shape()),
        "setData: new shape %s differs from the current %s", Shapes.lazyFormat(newData.shape()),
        Shapes.lazyFormat(shape()));
    // a rank-0 float64 leaf keeps its value as a double, so that scalar-lane ops read it without going through an
    // array; a rank-0 float32 one keeps its array, which is what carries its dtype
    boolean lane = newData.rank() == 0 && newData.dtype() == DType.FLOAT64;
    data = lane ? null : newData;
    scalar = lane ? newData.item() : 0.0;
    Rare r = rare();
    r.mutable = null;
    r.version++;
  }

  /**
   * This leaf's data as a mutable array for in-place updates (what optimizers use). The first call copies the data
   * into a private buffer, so an array the caller passed in is never changed; later calls return the same buffer.
   * Every write counts as a change: a graph recorded before it can no longer be differentiated (backward throws
   * instead of computing a gradient from changed inputs).
   *
   * @throws IllegalStateException for a value produced by an op
   */
  public MutableArray mutableData() {
    checkState(isLeaf(), "mutableData: only a leaf's data can be updated, this value is the output of '%s'", op);
    Rare r = rare();
    if (r.mutable == null) {
      NDArray current = data();
      r.mutable = MutableArray.copyOf(current, () -> r.version++);
      r.snapshot = current; // the contents are unchanged until the first write
      r.snapshotVersion = r.version;
    }
    return r.mutable;
  }

  /** The single element (scalars and one-element arrays). */
  public double item() {
    return data == null ? scalar : data().item();
  }

  public int[] shape() {
    return data == null ? new int[0] : data.shape();
  }

  /** The element type of {@link #data()} (float64 unless made or converted otherwise). */
  public DType dtype() {
    return data == null ? DType.FLOAT64 : data.dtype();
  }

  /**
   * This value stored as {@code dtype} (itself when it already is): a differentiable conversion whose gradient is
   * the incoming gradient converted back, as PyTorch's {@code x.to(dtype)}.
   */
  public Value to(DType dtype) {
    checkNotNull(dtype, "dtype");
    if (dtype == dtype()) {
      return this;
    }
    DType from = dtype();
    return record("to", array().to(dtype), (g, out) -> new Value[] {g.to(from)}, this);
  }

  public int rank() {
    return data == null ? 0 : data.rank();
  }

  public int size() {
    return data == null ? 1 : data.size();
  }

  /** Whether this value and {@code other} have the same shape. */
  boolean sameShape(Value other) {
    return data == null || other.data == null ? rank() == other.rank() : data.sameShape(other.data);
  }

  /** A name shown by {@link #toDot()}; returns {@code this}. */
  public Value label(String name) {
    rare().label = name;
    return this;
  }

  public String label() {
    return rare == null ? null : rare.label;
  }

  /** A constant with the same data, cut from the graph (no gradient flows through it). */
  public Value detach() {
    return data == null ? scalar(scalar) : leaf(data());
  }

  // ---------------------------------------------------------------- arithmetic

  public Value add(Value other) {
    return PointwiseOps.ADD.of(this, other);
  }

  public Value add(double c) {
    return PointwiseOps.ADD.of(this, constant("add", c));
  }

  public Value sub(Value other) {
    return PointwiseOps.SUB.of(this, other);
  }

  public Value sub(double c) {
    return PointwiseOps.SUB.of(this, constant("sub", c));
  }

  public Value mul(Value other) {
    return PointwiseOps.MUL.of(this, other);
  }

  public Value mul(double c) {
    return PointwiseOps.MUL.of(this, constant("mul", c));
  }

  public Value div(Value other) {
    return PointwiseOps.DIV.of(this, other);
  }

  /** Division by a non-zero finite constant. */
  public Value div(double c) {
    checkArgument(c != 0.0, "div: division by the constant 0");
    return PointwiseOps.DIV.of(this, constant("div", c));
  }

  public Value neg() {
    return PointwiseOps.NEG.of(this);
  }

  /** Elementwise power with a constant exponent; {@code pow(0)} has gradient 0. */
  public Value pow(double exponent) {
    checkArgument(Double.isFinite(exponent), "pow: exponent must be finite, got %s", exponent);
    return PointwiseOps.pow(exponent).of(this);
  }

  /** Elementwise power with a differentiable exponent (gradient w.r.t. the exponent uses log of the base). */
  public Value pow(Value exponent) {
    return Derivatives.pow(this, exponent);
  }

  public Value exp() {
    return PointwiseOps.EXP.of(this);
  }

  /** Natural logarithm (NaN below 0, -inf at 0, as in IEEE arithmetic; catch these with detectAnomaly). */
  public Value log() {
    return PointwiseOps.LOG.of(this);
  }

  public Value sqrt() {
    return PointwiseOps.SQRT.of(this);
  }

  public Value abs() {
    return PointwiseOps.ABS.of(this);
  }

  public Value tanh() {
    return PointwiseOps.TANH.of(this);
  }

  public Value sigmoid() {
    return PointwiseOps.SIGMOID.of(this);
  }

  public Value relu() {
    return PointwiseOps.RELU.of(this);
  }

  /** x for x &gt; 0, else {@code slope}·x. */
  public Value leakyRelu(double slope) {
    checkArgument(Double.isFinite(slope), "leakyRelu: slope must be finite, got %s", slope);
    return PointwiseOps.leakyRelu(slope).of(this);
  }

  /** log(1 + e^x), computed stably. */
  public Value softplus() {
    return PointwiseOps.SOFTPLUS.of(this);
  }

  /** Sine (radians). */
  public Value sin() {
    return PointwiseOps.SIN.of(this);
  }

  /** Cosine (radians). */
  public Value cos() {
    return PointwiseOps.COS.of(this);
  }

  /** Tangent (radians). */
  public Value tan() {
    return PointwiseOps.TAN.of(this);
  }

  /** Arcsine; NaN outside [−1, 1]. */
  public Value asin() {
    return PointwiseOps.ASIN.of(this);
  }

  /** Arccosine; NaN outside [−1, 1]. */
  public Value acos() {
    return PointwiseOps.ACOS.of(this);
  }

  /** Arctangent. */
  public Value atan() {
    return PointwiseOps.ATAN.of(this);
  }

  /** Hyperbolic sine. */
  public Value sinh() {
    return PointwiseOps.SINH.of(this);
  }

  /** Hyperbolic cosine. */
  public Value cosh() {
    return PointwiseOps.COSH.of(this);
  }

  /** Inverse hyperbolic sine. */
  public Value asinh() {
    return PointwiseOps.ASINH.of(this);
  }

  /** Inverse hyperbolic cosine; NaN below 1. */
  public Value acosh() {
    return PointwiseOps.ACOSH.of(this);
  }

  /** Inverse hyperbolic tangent; ±∞ at ±1, NaN beyond. */
  public Value atanh() {
    return PointwiseOps.ATANH.of(this);
  }

  /** log(1 + x), accurate for small x. */
  public Value log1p() {
    return PointwiseOps.LOG1P.of(this);
  }

  /** eˣ − 1, accurate for small x. */
  public Value expm1() {
    return PointwiseOps.EXPM1.of(this);
  }

  /** Base-2 logarithm (exact at powers of two). */
  public Value log2() {
    return PointwiseOps.LOG2.of(this);
  }

  /** Base-10 logarithm. */
  public Value log10() {
    return PointwiseOps.LOG10.of(this);
  }

  /** 2ˣ. */
  public Value exp2() {
    return PointwiseOps.EXP2.of(this);
  }

  /** x². */
  public Value square() {
    return PointwiseOps.SQUARE.of(this);
  }

  /** 1/x. */
  public Value reciprocal() {
    return PointwiseOps.RECIPROCAL.of(this);
  }

  /** 1/√x. */
  public Value rsqrt() {
    return PointwiseOps.RSQRT.of(this);
  }

  /** Cube root (defined for negatives). */
  public Value cbrt() {
    return PointwiseOps.CBRT.of(this);
  }

  /** The error function, to about one ulp (for the exact GELU, x·Φ(x) = x/2·(1 + erf(x/√2))). */
  public Value erf() {
    return PointwiseOps.ERF.of(this);
  }

  /** 1 − erf(x), accurate also where it is tiny (x up to 27, where it underflows to 0). */
  public Value erfc() {
    return PointwiseOps.ERFC.of(this);
  }

  /** −1, 0 or 1 (NaN stays NaN); gradient zeros. */
  public Value sign() {
    return PointwiseOps.SIGN.of(this);
  }

  /** Rounds down; gradient zeros (0 where defined). */
  public Value floor() {
    return PointwiseOps.FLOOR.of(this);
  }

  /** Rounds up; gradient zeros. */
  public Value ceil() {
    return PointwiseOps.CEIL.of(this);
  }

  /** Rounds half to even, as torch.round; gradient zeros. */
  public Value round() {
    return PointwiseOps.ROUND.of(this);
  }

  /** Rounds toward zero; gradient zeros. */
  public Value trunc() {
    return PointwiseOps.TRUNC.of(this);
  }

  /** atan2(this, x): the angle of the point (x, this), in (−π, π]; broadcasts. */
  public Value atan2(Value x) {
    return PointwiseOps.ATAN2.of(this, x);
  }

  /** √(this² + other²) without intermediate overflow; broadcasts. */
  public Value hypot(Value other) {
    return PointwiseOps.HYPOT.of(this, other);
  }

  /** Elementwise larger of the two (ties share the gradient). */
  public Value maximum(Value other) {
    return PointwiseOps.MAXIMUM.of(this, other);
  }

  /** Elementwise smaller of the two (ties share the gradient). */
  public Value minimum(Value other) {
    return PointwiseOps.MINIMUM.of(this, other);
  }

  /** Each element limited to [min, max]; the gradient passes where min ≤ x ≤ max. */
  public Value clamp(double min, double max) {
    checkArgument(!Double.isNaN(min) && !Double.isNaN(max) && min <= max,
        "clamp: need min <= max and neither NaN, got [%s, %s]", min, max);
    return PointwiseOps.clamp(min, max).of(this);
  }

  /** {@code mask != 0 ? a : b} elementwise, broadcasting all three. No gradient flows to the mask. */
  public static Value where(Value mask, Value a, Value b) {
    return Derivatives.where(mask.data(), a, b);
  }

  /** {@code mask != 0 ? value : this} elementwise; {@code mask} must broadcast to this value's shape. */
  public Value maskedFill(Value mask, double value) {
    checkArgument(Shapes.broadcastsTo(mask.shape(), shape()), "maskedFill: mask shape %s does not broadcast to the "
        + "value's shape %s", Shapes.lazyFormat(mask.shape()), Shapes.lazyFormat(shape()));
    return where(mask, scalar(value), this);
  }

  /** The elements where {@code mask != 0}, in row-major order, as a vector; the two broadcast together. */
  public Value maskedSelect(Value mask) {
    return Selections.maskedSelect(this, mask.data());
  }

  /** NaN, +∞ and −∞ replaced by 0, the largest and the most negative finite double (PyTorch's defaults). */
  public Value nanToNum() {
    return nanToNum(0.0, Double.MAX_VALUE, -Double.MAX_VALUE);
  }

  /** NaN, +∞ and −∞ replaced by the given numbers; the gradient passes where the input is finite. */
  public Value nanToNum(double nan, double posInf, double negInf) {
    return Derivatives.nanToNum(this, nan, posInf, negInf);
  }

  // ---------------------------------------------------------------- comparisons and logic (masks: no gradient)

  /** 1 where equal, else 0 (broadcasts); a constant mask for {@link #where}, never differentiated. */
  public Value eq(Value other) {
    return of(data().eq(other.data()));
  }

  public Value eq(double c) {
    return of(data().eq(c));
  }

  /** 1 where not equal (NaN is unequal to everything), else 0. */
  public Value ne(Value other) {
    return of(data().ne(other.data()));
  }

  public Value ne(double c) {
    return of(data().ne(c));
  }

  /** 1 where {@code this < other}, else 0. */
  public Value lt(Value other) {
    return of(data().lt(other.data()));
  }

  public Value lt(double c) {
    return of(data().lt(NDArray.scalar(c, dtype())));
  }

  /** 1 where {@code this <= other}, else 0. */
  public Value le(Value other) {
    return of(data().le(other.data()));
  }

  public Value le(double c) {
    return of(data().le(NDArray.scalar(c, dtype())));
  }

  /** 1 where {@code this > other}, else 0. */
  public Value gt(Value other) {
    return of(data().gt(other.data()));
  }

  public Value gt(double c) {
    return of(data().gt(c));
  }

  /** 1 where {@code this >= other}, else 0. */
  public Value ge(Value other) {
    return of(data().ge(other.data()));
  }

  public Value ge(double c) {
    return of(data().ge(NDArray.scalar(c, dtype())));
  }

  /** 1 where both are non-zero (NaN counts as non-zero), else 0. */
  public Value logicalAnd(Value other) {
    return of(data().logicalAnd(other.data()));
  }

  /** 1 where either is non-zero, else 0. */
  public Value logicalOr(Value other) {
    return of(data().logicalOr(other.data()));
  }

  /** 1 where exactly one is non-zero, else 0. */
  public Value logicalXor(Value other) {
    return of(data().logicalXor(other.data()));
  }

  /** 1 where zero, else 0. */
  public Value logicalNot() {
    return of(data().logicalNot());
  }

  /** 1 where NaN, else 0. */
  public Value isnan() {
    return of(data().isnan());
  }

  /** 1 where +∞ or −∞, else 0. */
  public Value isinf() {
    return of(data().isinf());
  }

  /** 1 where finite, else 0. */
  public Value isfinite() {
    return of(data().isfinite());
  }

  /** 1 if any element is non-zero (NaN counts), else 0; rank 0. */
  public Value any() {
    return any(new int[0], false);
  }

  /** 1 where any element over {@code axes} (empty: all) is non-zero, else 0; false over an empty axis. */
  public Value any(int[] axes, boolean keepDims) {
    return of(data().any(axes, keepDims));
  }

  /** 1 if every element is non-zero, else 0; rank 0. */
  public Value all() {
    return all(new int[0], false);
  }

  /** 1 where every element over {@code axes} (empty: all) is non-zero, else 0; true over an empty axis. */
  public Value all(int[] axes, boolean keepDims) {
    return of(data().all(axes, keepDims));
  }

  /** The flat (row-major) position of the largest element, rank 0; the first on ties, a NaN if there is one. */
  public Value argmax() {
    return of(data().reshape(-1).argmax(0));
  }

  /**
   * Positions of the largest elements along {@code axis}, as integral doubles usable as a {@link #gather} index
   * (with {@code keepDims}); the first on ties, a NaN if there is one, as PyTorch.
   */
  public Value argmax(int axis, boolean keepDims) {
    NDArray idx = data().argmax(axis);
    return of(keepDims ? idx.reshape(keptAxis("argmax", axis)) : idx);
  }

  /** The flat position of the smallest element, rank 0; the first on ties, a NaN if there is one. */
  public Value argmin() {
    return of(data().reshape(-1).argmin(0));
  }

  /** Positions of the smallest elements along {@code axis}; see {@link #argmax(int, boolean)}. */
  public Value argmin(int axis, boolean keepDims) {
    NDArray idx = data().argmin(axis);
    return of(keepDims ? idx.reshape(keptAxis("argmin", axis)) : idx);
  }

  private int[] keptAxis(String op, int axis) {
    return Shapes.reducedShape(shape(), new int[] {Shapes.normalizeAxis(op, axis, rank())}, true);
  }

  // ---------------------------------------------------------------- reductions

  /** Sum of all elements (rank 0). */
  public Value sum() {
    return sum(new int[0], false);
  }

  /** Sum over {@code axes}, which are dropped from the shape (PyTorch's {@code sum(dim)}). */
  public Value sum(int... axes) {
    return sum(axes, false);
  }

  /** Sum over {@code axes} (empty = all). */
  public Value sum(int[] axes, boolean keepDims) {
    return Derivatives.sum(this, axes, keepDims);
  }

  public Value mean() {
    return mean(new int[0], false);
  }

  /** Mean over {@code axes}, which are dropped from the shape (PyTorch's {@code mean(dim)}). */
  public Value mean(int... axes) {
    return mean(axes, false);
  }

  /** Mean over {@code axes} (empty = all). */
  public Value mean(int[] axes, boolean keepDims) {
    return Derivatives.mean(this, axes, keepDims);
  }

  public Value max() {
    return max(new int[0], false);
  }

  /** Maximum over {@code axes}, which are dropped from the shape (PyTorch's {@code max(dim)}). */
  public Value max(int... axes) {
    return max(axes, false);
  }

  /** Maximum over {@code axes}; tied maxima share the gradient evenly. */
  public Value max(int[] axes, boolean keepDims) {
    return Derivatives.max(this, axes, keepDims);
  }

  public Value min() {
    return min(new int[0], false);
  }

  /** Minimum over {@code axes}, which are dropped from the shape (PyTorch's {@code min(dim)}). */
  public Value min(int... axes) {
    return min(axes, false);
  }

  /** Minimum over {@code axes}; tied minima share the gradient evenly. */
  public Value min(int[] axes, boolean keepDims) {
    return Derivatives.min(this, axes, keepDims);
  }

  /** Product of all elements (rank 0); exact gradients with zeros. */
  public Value prod() {
    return prod(new int[0], false);
  }

  /** Product over {@code axes}, which are dropped from the shape. */
  public Value prod(int... axes) {
    return prod(axes, false);
  }

  /**
   * Product over {@code axes} (empty: all). Its gradient is right with zeros: with one zero in a group, the zero's
   * gradient is the product of the others; with two or more, every gradient of the group is 0.
   */
  public Value prod(int[] axes, boolean keepDims) {
    return Derivatives.prod(this, axes, keepDims);
  }

  /** The Euclidean norm of all elements (for a matrix, its Frobenius norm), rank 0. */
  public Value norm() {
    return norm(2.0, new int[0], false);
  }

  /** The p-norm of all elements: p = 1, 2, any p &gt; 0, or ±∞ (max or min of |x|). */
  public Value norm(double p) {
    return norm(p, new int[0], false);
  }

  /**
   * The p-norm over {@code axes} (empty: all), as PyTorch's {@code linalg.vector_norm}: (Σ|x|^p)^(1/p) for p &gt; 0,
   * max |x| for +∞, min |x| for −∞. The Frobenius norm of matrices is {@code norm(2, new int[] {-2, -1}, false)}.
   * Where the norm is 0 the gradient is 0 (a subgradient), as in PyTorch.
   */
  public Value norm(double p, int[] axes, boolean keepDims) {
    return Derivatives.norm(this, p, axes, keepDims);
  }

  /** log(Σ e^x) over {@code axes}, which are dropped from the shape. */
  public Value logSumExp(int... axes) {
    return logSumExp(axes, false);
  }

  /** log(Σ e^x) over {@code axes}, shifted by the maximum so it never overflows. */
  public Value logSumExp(int[] axes, boolean keepDims) {
    return Derivatives.logSumExp(this, axes, keepDims);
  }

  /** Softmax along {@code axis}, computed as exp(logSoftmax) so it is stable for any logits. */
  public Value softmax(int axis) {
    return Derivatives.softmax(this, axis);
  }

  /** x − logSumExp(x) along {@code axis}. */
  public Value logSoftmax(int axis) {
    return Derivatives.logSoftmax(this, axis);
  }

  // ---------------------------------------------------------------- linear algebra and shape

  /** Matrix product with NumPy semantics (1-d operands promoted, batch axes broadcast). */
  public Value matmul(Value other) {
    return Derivatives.matmul(this, other);
  }

  /**
   * {@code this · otherᵀ} for a matrix {@code other}: PyTorch's {@code F.linear(this, other)} without bias, what a
   * layer with weights stored [out, in] computes. Same result as {@code matmul(other.transpose())}, but the gradient
   * of {@code other} comes out in its own layout.
   */
  public Value matmulTransposed(Value other) {
    return Derivatives.matmulTransposed(this, other);
  }

  /**
   * {@code this · weightᵀ + bias}, PyTorch's {@code F.linear(input, weight, bias)}: weight {@code [out, in]}, bias
   * {@code [out]} or null, this {@code [..., in]}. What {@code matmulTransposed(weight).add(bias)} computes, with the
   * bias as the product's starting value: the output is written once.
   *
   * @throws IllegalArgumentException if the weight is not a matrix, the bias not {@code [out]}, or the input's last
   *     axis differs from the weight's
   */
  public Value linear(Value weight, Value bias) {
    return Derivatives.linear(this, weight, bias);
  }

  /** This value with a length-1 axis inserted at {@code axis} (−1: last), as PyTorch's {@code unsqueeze}. */
  public Value unsqueeze(int axis) {
    return reshape(Shapes.unsqueezed(shape(), Shapes.normalizeAxis("unsqueeze", axis, rank() + 1)));
  }

  /**
   * This value without its length-1 axes: all of them, or those among {@code axes} (an axis of another length is
   * left alone, as in PyTorch).
   */
  public Value squeeze(int... axes) {
    int[] s = shape();
    boolean[] drop = new boolean[s.length];
    for (int a : Shapes.normalizeAxes("squeeze", axes, s.length)) { // none named: every axis
      drop[a] = s[a] == 1;
    }
    int kept = 0;
    for (boolean d : drop) {
      kept += d ? 0 : 1;
    }
    int[] out = new int[kept];
    for (int i = 0, j = 0; i < s.length; i++) {
      if (!drop[i]) {
        out[j++] = s[i];
      }
    }
    return reshape(out);
  }

  /** All elements as a vector (NumPy's {@code ravel}, PyTorch's {@code flatten()}). */
  public Value flatten() {
    return reshape(-1);
  }

  /** Axes {@code start..end} (inclusive, negatives count from the end) merged into one, as PyTorch's flatten. */
  public Value flatten(int start, int end) {
    int[] s = shape();
    int a = Shapes.normalizeAxis("flatten", start, Math.max(1, s.length));
    int b = Shapes.normalizeAxis("flatten", end, Math.max(1, s.length));
    checkArgument(a <= b, "flatten: start axis %s comes after end axis %s", start, end);
    if (s.length == 0) {
      return reshape(1);
    }
    int[] out = new int[s.length - (b - a)];
    long merged = 1;
    for (int i = a; i <= b; i++) {
      merged *= s[i];
    }
    for (int i = 0, j = 0; i < s.length; i++) {
      if (i < a || i > b) {
        out[j++] = s[i];
      } else if (i == a) {
        out[j++] = (int) merged;
      }
    }
    return reshape(out);
  }

  /** The elements in reverse order along each of {@code axes}, as NumPy's and PyTorch's {@code flip}. */
  public Value flip(int... axes) {
    checkArgument(axes.length > 0, "flip: name at least one axis");
    Value v = this;
    for (int a : Shapes.normalizeAxes("flip", axes, rank())) {
      int n = shape()[a];
      int[] reversed = new int[n];
      for (int i = 0; i < n; i++) {
        reversed[i] = n - 1 - i;
      }
      v = v.indexSelect(a, reversed);
    }
    return v;
  }

  /** this + weight·(end − this), broadcasting all three (PyTorch's {@code lerp}); differentiable in each. */
  public Value lerp(Value end, Value weight) {
    return add(end.sub(this).mul(weight));
  }

  /**
   * Variance over {@code axes} (empty: all), Σ(x − mean)² / (n − correction): correction 1 is the sample variance
   * (PyTorch's default), 0 the population variance. n ≤ correction gives NaN or infinity, as in PyTorch.
   */
  public Value var(int[] axes, int correction, boolean keepDims) {
    checkArgument(correction >= 0, "var: correction must be >= 0, got %s", correction);
    int[] ax = Shapes.normalizeAxes("var", axes, rank());
    long n = 1;
    for (int a : ax) {
      n *= shape()[a];
    }
    Value centered = sub(mean(ax, true));
    return centered.mul(centered).sum(ax, keepDims).div(Value.scalar(n - correction, dtype()));
  }

  /** Sample variance (correction 1) over {@code axes}, which are dropped. */
  public Value var(int... axes) {
    return var(axes, 1, false);
  }

  /** √var over {@code axes}, with the same correction (its gradient is infinite where the variance is 0). */
  public Value std(int[] axes, int correction, boolean keepDims) {
    checkArgument(correction >= 0, "std: correction must be >= 0, got %s", correction);
    return var(Shapes.normalizeAxes("std", axes, rank()), correction, keepDims).sqrt();
  }

  /** Sample standard deviation (correction 1) over {@code axes}, which are dropped. */
  public Value std(int... axes) {
    return std(axes, 1, false);
  }

  /**
   * The elements shifted by {@code shift} positions along {@code axis}, those pushed off the end coming back at the
   * start (NumPy's and PyTorch's {@code roll}).
   */
  public Value roll(int shift, int axis) {
    int a = Shapes.normalizeAxis("roll", axis, rank());
    int n = shape()[a];
    int[] from = new int[n];
    for (int i = 0; i < n; i++) {
      from[i] = Math.floorMod(i - shift, n);
    }
    return n == 0 ? this : indexSelect(a, from);
  }

  /**
   * This value repeated {@code reps[i]} times along axis i (NumPy's {@code tile}, PyTorch's {@code repeat}); with
   * more repetitions than axes, leading axes of length 1 are added first.
   */
  public Value repeat(int... reps) {
    checkArgument(reps.length >= rank(), "repeat: %s repetitions for a value of rank %s (need at least one per axis)",
        reps.length, rank());
    Value v = this;
    while (v.rank() < reps.length) {
      v = v.unsqueeze(0);
    }
    for (int a = 0; a < reps.length; a++) {
      checkArgument(reps[a] >= 0, "repeat: repetitions must be >= 0, got %s for axis %s", reps[a], a);
      if (reps[a] != 1) {
        int[] s = v.shape();
        int[] expanded = Shapes.unsqueezed(s, a);
        expanded[a] = reps[a];
        int[] merged = s.clone();
        merged[a] = Math.multiplyExact(s[a], reps[a]);
        v = v.unsqueeze(a).broadcastTo(expanded).reshape(merged);
      }
    }
    return v;
  }

  /** The lower triangle of the last two axes (above diagonal {@code k} zeroed), as PyTorch's {@code tril}. */
  public Value tril(int k) {
    return mul(Value.of(triangle("tril", k, true).to(dtype())));
  }

  /** The upper triangle of the last two axes (below diagonal {@code k} zeroed), as PyTorch's {@code triu}. */
  public Value triu(int k) {
    return mul(Value.of(triangle("triu", k, false).to(dtype())));
  }

  private NDArray triangle(String op, int k, boolean lower) {
    checkArgument(rank() >= 2, "%s: needs rank >= 2, got shape %s", op, Shapes.lazyFormat(shape()));
    int rows = shape()[rank() - 2];
    int cols = shape()[rank() - 1];
    double[] mask = new double[rows * cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        mask[i * cols + j] = (lower ? j - i <= k : j - i >= k) ? 1.0 : 0.0;
      }
    }
    return NDArray.of(mask).reshape(rows, cols);
  }

  /**
   * For a vector, the square matrix with it on the diagonal; for a matrix, its main diagonal as a vector (NumPy's
   * and PyTorch's {@code diag}).
   */
  public Value diag() {
    checkArgument(rank() == 1 || rank() == 2, "diag: needs a vector or a matrix, got shape %s",
        Shapes.lazyFormat(shape()));
    if (rank() == 1) {
      int n = size();
      return unsqueeze(1).mul(Value.of(NDArray.eye(n).to(dtype()))); // column broadcast over the identity's rows
    }
    int n = Math.min(shape()[0], shape()[1]);
    int[] flat = new int[n];
    for (int i = 0; i < n; i++) {
      flat[i] = i * shape()[1] + i;
    }
    return reshape(-1).indexSelect(0, flat);
  }

  /** The sum of the main diagonal of a matrix. */
  public Value trace() {
    checkArgument(rank() == 2, "trace: needs a matrix, got shape %s", Shapes.lazyFormat(shape()));
    return diag().sum();
  }

  /** Running sums along {@code axis}, as NumPy's and PyTorch's {@code cumsum}. */
  public Value cumsum(int axis) {
    return Derivatives.cumsum(this, axis);
  }

  /** Running products along {@code axis} (PyTorch's {@code cumprod}); exact gradients with zeros. */
  public Value cumprod(int axis) {
    return Derivatives.cumprod(this, axis);
  }

  /** Running log(Σ eˣ) along {@code axis} (PyTorch's {@code logcumsumexp}), stable for any magnitudes. */
  public Value logCumSumExp(int axis) {
    return Derivatives.logCumSumExp(this, axis);
  }

  /**
   * The elements sorted along {@code axis} (ascending, or descending), with the positions they came from. Stable;
   * NaN sorts above every number. The gradient of the values goes back to the positions they came from.
   */
  public ValuesAndIndices sort(int axis, boolean descending) {
    return Selections.sort(this, axis, descending);
  }

  /** The positions that sort this value along {@code axis}: {@code sort(axis, descending).indices()}. */
  public Value argsort(int axis, boolean descending) {
    return of(data().argsort(axis, descending));
  }

  /**
   * The {@code k} largest (or smallest) elements along {@code axis}, in sorted order, with their positions
   * (PyTorch's {@code topk}; ties keep the earlier element first).
   */
  public ValuesAndIndices topk(int k, int axis, boolean largest) {
    return Selections.topk(this, k, axis, largest);
  }

  /**
   * PyTorch's {@code gather}: {@code index} (integral values, this value's rank) picks, for each of its positions, the
   * element at the same coordinates but with the one along {@code axis} replaced by the index. The result has the
   * index's shape; the gradient is scattered back, adding where positions repeat.
   */
  public Value gather(int axis, Value index) {
    return Derivatives.gather(this, axis, index.data());
  }

  /**
   * PyTorch's {@code scatter}: a copy of this value with {@code src}'s elements written where {@link #gather} would
   * read them. With repeated positions the last write wins; every source element still gets the gradient of the
   * position it was written to, as in PyTorch.
   */
  public Value scatter(int axis, Value index, Value src) {
    return Derivatives.scatter(this, axis, index.data(), src);
  }

  /** PyTorch's {@code scatter_add}: like {@link #scatter}, but adding, so repeated positions accumulate. */
  public Value scatterAdd(int axis, Value index, Value src) {
    return Derivatives.scatterAdd(this, axis, index.data(), src);
  }

  /**
   * This value broadcast to {@code shape}, where −1 keeps an existing axis's length (PyTorch's {@code expand});
   * new axes go in front.
   */
  public Value expand(int... shape) {
    return Selections.expand(this, shape);
  }

  /** This value repeated {@code reps[i]} times along axis i, with fewer reps than axes read as leading 1s (NumPy's
   * and PyTorch's {@code tile}). */
  public Value tile(int... reps) {
    int[] full = new int[Math.max(reps.length, rank())];
    java.util.Arrays.fill(full, 1);
    System.arraycopy(reps, 0, full, full.length - reps.length, reps.length);
    return repeat(full);
  }

  /**
   * Einstein summation over the operands (NumPy's and PyTorch's {@code einsum}), e.g. {@code "ij,jk->ik"} (matmul),
   * {@code "bij,bjk->bik"} (bmm), {@code "i,j->ij"} (outer), {@code "ii->"} (trace), {@code "ij->ji"}, with
   * {@code ...} for broadcast batch axes. Pairs of operands are contracted with one matrix product.
   */
  public static Value einsum(String equation, Value... operands) {
    return Einsum.evaluate(equation, operands);
  }

  /** Same elements, new shape (one dimension may be -1). */
  public Value reshape(int... shape) {
    return Derivatives.reshape(this, shape);
  }

  /** Swaps the last two axes. */
  public Value transpose() {
    checkArgument(rank() >= 2, "transpose: needs rank >= 2, got shape %s", Shapes.lazyFormat(shape()));
    return transpose(-2, -1);
  }

  public Value transpose(int axis1, int axis2) {
    int r = rank();
    int a = Shapes.normalizeAxis("transpose", axis1, r);
    int b = Shapes.normalizeAxis("transpose", axis2, r);
    int[] order = new int[r];
    java.util.Arrays.setAll(order, i -> i == a ? b : i == b ? a : i);
    return permute(order);
  }

  /** Axis i of the result is axis {@code order[i]} of this value. */
  public Value permute(int... order) {
    return Derivatives.permute(this, order);
  }

  public Value broadcastTo(int... shape) {
    return Derivatives.broadcastTo(this, shape);
  }

  /** Sums broadcast axes away so the result has {@code shape}; the adjoint of {@link #broadcastTo}. */
  public Value sumTo(int... shape) {
    return Derivatives.sumTo(this, shape);
  }

  /** Elements [start, end) along {@code axis} (negative positions count from the end). */
  public Value slice(int axis, int start, int end) {
    return Derivatives.slice(this, axis, start, end);
  }

  /** Zero padding along {@code axis}. */
  public Value pad(int axis, int before, int after) {
    return Derivatives.pad(this, axis, before, after);
  }

  /** Sub-arrays at {@code indices} along {@code axis}, e.g. rows of a batch or embeddings. */
  public Value indexSelect(int axis, int... indices) {
    return Derivatives.indexSelect(this, axis, indices);
  }

  /** This value plus {@code source} scattered along {@code axis} at {@code indices} (repeats accumulate). */
  public Value indexAdd(int axis, int[] indices, Value source) {
    return Derivatives.indexAdd(this, axis, indices, source);
  }

  /** Joins values along an existing axis. */
  public static Value concat(int axis, Value... values) {
    return Derivatives.concat(axis, values);
  }

  /** Joins values of equal shape along a new axis. */
  public static Value stack(int axis, Value... values) {
    return Derivatives.stack(axis, values);
  }

  // ---------------------------------------------------------------- backward

  /**
   * Backpropagates from this single-element value (seed 1), accumulating into the leaves' {@link #grad()}. The
   * graph's saved buffers are released afterwards.
   *
   * @throws IllegalArgumentException if this value has more than one element (pass a seed instead)
   * @throws IllegalStateException if this value does not require a gradient, or its graph was already released
   */
  public void backward() {
    checkArgument(size() == 1, "backward: output has shape %s; a seed gradient of that shape is required for "
        + "non-scalar outputs (use backward(seed))", Shapes.lazyFormat(shape()));
    backward(NDArray.ones(shape()), false);
  }

  /** Backpropagates with the given seed (shape of this value), releasing the graph afterwards. */
  public void backward(NDArray seed) {
    backward(seed, false);
  }

  /**
   * Backpropagates with {@code seed} as d(output)/d(this).
   *
   * @param retainGraph keep saved buffers so that the graph can be differentiated again
   */
  public void backward(NDArray seed, boolean retainGraph) {
    Engine.backward(this, seed, retainGraph);
  }

  // ---------------------------------------------------------------- presentation

  /** The graph ending here in Graphviz DOT (render with {@code dot -Tsvg}). */
  public String toDot() {
    return DotExporter.toDot(this);
  }

  @Override
  public String toString() {
    return "Value(" + (label() == null ? "" : label() + ", ") + "op=" + op + ", data=" + data()
        + (grad() == null ? "" : ", grad=" + grad()) + ")";
  }

  // ---------------------------------------------------------------- engine access (the graph side: GraphNode)

  boolean retainsGrad() {
    return rare != null && rare.retainsGrad;
  }

  String createdAt() {
    return rare == null ? null : rare.createdAt;
  }

  void accumulateGrad(NDArray g) {
    Rare r = rare();
    r.grad = r.grad == null ? g : r.grad.add(g);
  }

  /** A Java constant as an operand of this value's dtype: a {@code double} never promotes float32 (see DType). */
  private Value constant(String op, double c) {
    checkArgument(Double.isFinite(c), "%s: the constant must be finite, got %s", op, c);
    return scalar(c, dtype());
  }
}
