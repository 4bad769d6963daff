package dev.autograd;

import dev.autograd.array.NDArray;
import dev.autograd.array.ScalarMath;
import java.util.List;
import java.util.function.Function;

/**
 * The table of pointwise ops: one row per op, the only place it is defined. A row gives the op's name, its forward
 * kernel on arrays and on doubles, and per input its derivative, written in differentiable {@link Value} ops (so
 * higher-order derivatives come free) and again on plain doubles for the scalar lane (see {@link PointwiseOp}).
 * {@code g} is the incoming gradient, {@code out} the op's result, {@code x} and {@code y} its inputs.
 *
 * <p>Adding a pointwise op takes one row here (plus {@link #TABLE} or {@link #FAMILIES}), a forwarder on
 * {@link Value}, and a sample in the test's op registry. Nothing else: {@code PointwiseLanesTest} runs every row
 * and family of this table, holding the two spellings of each derivative to bit-for-bit agreement, and
 * {@code OpCoverageTest} fails when a row lacks its forwarder or registry sample. Ops that take constants (the
 * exponent of pow, the bounds of clamp) are families: a factory plus sample constants for those tests.
 *
 * <p>Ops whose rule needs more than a pointwise formula, and composites (softmax, logSumExp, losses), live in
 * {@link Derivatives}.
 */
final class PointwiseOps {
  private PointwiseOps() {}

  private static Value constant(NDArray a) {
    return Value.of(a);
  }

  // ------------------------------------------------------------ arithmetic

  static final PointwiseOp ADD = PointwiseOp.binary("add", NDArray::add, (x, y) -> x + y,
      (g, out, a, b) -> g, (g, out, x, y) -> g,
      (g, out, a, b) -> g, (g, out, x, y) -> g);

  static final PointwiseOp SUB = PointwiseOp.binary("sub", NDArray::sub, (x, y) -> x - y,
      (g, out, a, b) -> g, (g, out, x, y) -> g,
      (g, out, a, b) -> g.neg(), (g, out, x, y) -> -g);

  static final PointwiseOp MUL = PointwiseOp.binary("mul", NDArray::mul, (x, y) -> x * y,
      (g, out, a, b) -> g.mul(b), (g, out, x, y) -> g * y,
      (g, out, a, b) -> g.mul(a), (g, out, x, y) -> g * x);

  /** d(a/b) = g/b, −g·(a/b)/b. */
  static final PointwiseOp DIV = PointwiseOp.binary("div", NDArray::div, (x, y) -> x / y,
      (g, out, a, b) -> g.div(b), (g, out, x, y) -> g / y,
      (g, out, a, b) -> g.mul(out).div(b).neg(), (g, out, x, y) -> -(g * out / y));

  static final PointwiseOp NEG = PointwiseOp.unary("neg", NDArray::neg, x -> -x,
      (g, out, a) -> g.neg(), (g, out, x) -> -g);

  // ------------------------------------------------------------ exponentials and roots

  static final PointwiseOp EXP = PointwiseOp.unary("exp", NDArray::exp, Math::exp,
      (g, out, a) -> g.mul(out), (g, out, x) -> g * out);

  static final PointwiseOp LOG = PointwiseOp.unary("log", NDArray::log, Math::log,
      (g, out, a) -> g.div(a), (g, out, x) -> g / x);

  static final PointwiseOp SQRT = PointwiseOp.unary("sqrt", NDArray::sqrt, Math::sqrt,
      (g, out, a) -> g.div(out).mul(0.5), (g, out, x) -> g / out * 0.5);

  // ------------------------------------------------------------ activations and kinks

  /** d|x| = sign(x), so |x|'(0) = 0. */
  static final PointwiseOp ABS = PointwiseOp.unary("abs", NDArray::abs, Math::abs,
      (g, out, a) -> g.mul(constant(a.array().sign())), (g, out, x) -> g * Math.signum(x));

  /** tanh' = 1 − tanh². */
  static final PointwiseOp TANH = PointwiseOp.unary("tanh", NDArray::tanh, Math::tanh,
      (g, out, a) -> g.mul(out.mul(out).neg().add(1.0)), (g, out, x) -> g * (-(out * out) + 1.0));

  /** σ' = σ(1 − σ). */
  static final PointwiseOp SIGMOID = PointwiseOp.unary("sigmoid", NDArray::sigmoid, ScalarMath::sigmoid,
      (g, out, a) -> g.mul(out).mul(out.neg().add(1.0)), (g, out, x) -> g * out * (-out + 1.0));

  /** relu'(x) = 1 for x &gt; 0, else 0 (including at 0). */
  static final PointwiseOp RELU = PointwiseOp.unary("relu", NDArray::relu, x -> Math.max(x, 0.0),
      (g, out, a) -> maskedByPositive(g, a), (g, out, x) -> g * (x > 0 ? 1.0 : 0.0));

  /**
   * g · (a &gt; 0) in one pass (the mask is never stored); as a function of g it is linear with the same mask, so
   * its own gradient is this rule again, and a gets none (the mask is piecewise constant).
   */
  private static Value maskedByPositive(Value g, Value a) {
    return Value.record("reluBackward", g.array().mulPositive(a.array()),
        (gg, out) -> new Value[] {maskedByPositive(gg, a)}, g);
  }

  /** softplus' = σ. */
  static final PointwiseOp SOFTPLUS = PointwiseOp.unary("softplus", NDArray::softplus, ScalarMath::softplus,
      (g, out, a) -> g.mul(a.sigmoid()), (g, out, x) -> g * ScalarMath.sigmoid(x));

  /** The winner takes g, a tie gives each side g/2. */
  static final PointwiseOp MAXIMUM = PointwiseOp.binary("maximum", NDArray::maximum, Math::max,
      (g, out, a, b) -> g.mul(constant(share(a.array().gt(b.array()), a.array().eq(b.array())))),
      (g, out, x, y) -> g * (x > y ? 1.0 : x == y ? 0.5 : 0.0),
      (g, out, a, b) -> g.mul(constant(share(b.array().gt(a.array()), a.array().eq(b.array())))),
      (g, out, x, y) -> g * (y > x ? 1.0 : x == y ? 0.5 : 0.0));

  static final PointwiseOp MINIMUM = PointwiseOp.binary("minimum", NDArray::minimum, Math::min,
      (g, out, a, b) -> g.mul(constant(share(a.array().lt(b.array()), a.array().eq(b.array())))),
      (g, out, x, y) -> g * (x < y ? 1.0 : x == y ? 0.5 : 0.0),
      (g, out, a, b) -> g.mul(constant(share(b.array().lt(a.array()), a.array().eq(b.array())))),
      (g, out, x, y) -> g * (y < x ? 1.0 : x == y ? 0.5 : 0.0));

  /** 1 where a side wins, 1/2 where it ties. */
  private static NDArray share(NDArray wins, NDArray tie) {
    return wins.add(tie.mul(0.5));
  }

  // ------------------------------------------------------------ trigonometric and hyperbolic (mapped kernels)

  static final PointwiseOp SIN = PointwiseOp.mapped("sin", Math::sin,
      (g, out, x) -> g.mul(x.cos()), (g, out, x) -> g * Math.cos(x));

  static final PointwiseOp COS = PointwiseOp.mapped("cos", Math::cos,
      (g, out, x) -> g.mul(x.sin()).neg(), (g, out, x) -> -(g * Math.sin(x)));

  /** tan' = 1 + tan². */
  static final PointwiseOp TAN = PointwiseOp.mapped("tan", Math::tan,
      (g, out, x) -> g.mul(out.mul(out).add(1.0)), (g, out, x) -> g * (out * out + 1.0));

  /** asin' = 1/√(1 − x²) (∞ at ±1, NaN beyond, as PyTorch). */
  static final PointwiseOp ASIN = PointwiseOp.mapped("asin", Math::asin,
      (g, out, x) -> g.div(x.mul(x).neg().add(1.0).sqrt()), (g, out, x) -> g / Math.sqrt(-(x * x) + 1.0));

  static final PointwiseOp ACOS = PointwiseOp.mapped("acos", Math::acos,
      (g, out, x) -> g.div(x.mul(x).neg().add(1.0).sqrt()).neg(), (g, out, x) -> -(g / Math.sqrt(-(x * x) + 1.0)));

  static final PointwiseOp ATAN = PointwiseOp.mapped("atan", Math::atan,
      (g, out, x) -> g.div(x.mul(x).add(1.0)), (g, out, x) -> g / (x * x + 1.0));

  static final PointwiseOp SINH = PointwiseOp.mapped("sinh", Math::sinh,
      (g, out, x) -> g.mul(x.cosh()), (g, out, x) -> g * Math.cosh(x));

  static final PointwiseOp COSH = PointwiseOp.mapped("cosh", Math::cosh,
      (g, out, x) -> g.mul(x.sinh()), (g, out, x) -> g * Math.sinh(x));

  static final PointwiseOp ASINH = PointwiseOp.mapped("asinh", ScalarMath::asinh,
      (g, out, x) -> g.div(x.mul(x).add(1.0).sqrt()), (g, out, x) -> g / Math.sqrt(x * x + 1.0));

  /** acosh' = 1/√((x − 1)(x + 1)), factored so that it stays accurate near 1. */
  static final PointwiseOp ACOSH = PointwiseOp.mapped("acosh", ScalarMath::acosh,
      (g, out, x) -> g.div(x.sub(1.0).mul(x.add(1.0)).sqrt()), (g, out, x) -> g / Math.sqrt((x - 1.0) * (x + 1.0)));

  static final PointwiseOp ATANH = PointwiseOp.mapped("atanh", ScalarMath::atanh,
      (g, out, x) -> g.div(x.mul(x).neg().add(1.0)), (g, out, x) -> g / (-(x * x) + 1.0));

  // ------------------------------------------------------------ more exponentials, logarithms and powers

  static final PointwiseOp LOG1P = PointwiseOp.mapped("log1p", Math::log1p,
      (g, out, x) -> g.div(x.add(1.0)), (g, out, x) -> g / (x + 1.0));

  /** expm1' = eˣ = expm1(x) + 1. */
  static final PointwiseOp EXPM1 = PointwiseOp.mapped("expm1", Math::expm1,
      (g, out, x) -> g.mul(out.add(1.0)), (g, out, x) -> g * (out + 1.0));

  private static final double LN2 = Math.log(2.0);
  private static final double LN10 = Math.log(10.0);

  static final PointwiseOp LOG2 = PointwiseOp.mapped("log2", ScalarMath::log2,
      (g, out, x) -> g.div(x.mul(LN2)), (g, out, x) -> g / (x * LN2));

  static final PointwiseOp LOG10 = PointwiseOp.mapped("log10", Math::log10,
      (g, out, x) -> g.div(x.mul(LN10)), (g, out, x) -> g / (x * LN10));

  static final PointwiseOp EXP2 = PointwiseOp.mapped("exp2", ScalarMath::exp2,
      (g, out, x) -> g.mul(out.mul(LN2)), (g, out, x) -> g * (out * LN2));

  static final PointwiseOp SQUARE = PointwiseOp.mapped("square", x -> x * x,
      (g, out, x) -> g.mul(x.mul(2.0)), (g, out, x) -> g * (x * 2.0));

  /** (1/x)' = −1/x² = −out². */
  static final PointwiseOp RECIPROCAL = PointwiseOp.mapped("reciprocal", x -> 1.0 / x,
      (g, out, x) -> g.mul(out.mul(out)).neg(), (g, out, x) -> -(g * (out * out)));

  /** (x^−½)' = −½·x^−3/2 = −½·out³. */
  static final PointwiseOp RSQRT = PointwiseOp.mapped("rsqrt", x -> 1.0 / Math.sqrt(x),
      (g, out, x) -> g.mul(out.mul(out).mul(out)).mul(-0.5), (g, out, x) -> g * (out * out * out) * -0.5);

  /** cbrt' = 1/(3·cbrt(x)²) (∞ at 0, as PyTorch). */
  static final PointwiseOp CBRT = PointwiseOp.mapped("cbrt", Math::cbrt,
      (g, out, x) -> g.div(out.mul(out).mul(3.0)), (g, out, x) -> g / (out * out * 3.0));

  private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

  /** erf' = 2/√π · e^(−x²). */
  static final PointwiseOp ERF = PointwiseOp.mapped("erf", ScalarMath::erf,
      (g, out, x) -> g.mul(x.mul(x).neg().exp().mul(TWO_OVER_SQRT_PI)),
      (g, out, x) -> g * (Math.exp(-(x * x)) * TWO_OVER_SQRT_PI));

  /** erfc' = −2/√π · e^(−x²). */
  static final PointwiseOp ERFC = PointwiseOp.mapped("erfc", ScalarMath::erfc,
      (g, out, x) -> g.mul(x.mul(x).neg().exp().mul(TWO_OVER_SQRT_PI)).neg(),
      (g, out, x) -> -(g * (Math.exp(-(x * x)) * TWO_OVER_SQRT_PI)));

  // ------------------------------------------------------------ piecewise constant: zero gradient everywhere

  // Their derivative is 0 wherever it exists (and undefined at the jumps); like PyTorch, the gradient is zeros.

  static final PointwiseOp SIGN = zeroGradient("sign", Math::signum);
  static final PointwiseOp FLOOR = zeroGradient("floor", Math::floor);
  static final PointwiseOp CEIL = zeroGradient("ceil", Math::ceil);
  /** Halves to even, as {@code torch.round} and NumPy. */
  static final PointwiseOp ROUND = zeroGradient("round", Math::rint);
  static final PointwiseOp TRUNC = zeroGradient("trunc", x -> x < 0 ? Math.ceil(x) : Math.floor(x));

  private static PointwiseOp zeroGradient(String name, java.util.function.DoubleUnaryOperator f) {
    return PointwiseOp.mapped(name, f, (g, out, x) -> Value.zeros(x.shape()), (g, out, x) -> 0.0);
  }

  // ------------------------------------------------------------ binary, mapped

  /** atan2(y, x): ∂/∂y = x/(x² + y²), ∂/∂x = −y/(x² + y²). */
  static final PointwiseOp ATAN2 = PointwiseOp.mapped("atan2", Math::atan2,
      (g, out, y, x) -> g.mul(x).div(x.mul(x).add(y.mul(y))), (g, out, y, x) -> g * x / (x * x + y * y),
      (g, out, y, x) -> g.mul(y).div(x.mul(x).add(y.mul(y))).neg(), (g, out, y, x) -> -(g * y / (x * x + y * y)));

  /** hypot(a, b) = √(a² + b²) without overflow: ∂/∂a = a/out, ∂/∂b = b/out (NaN at (0, 0), as PyTorch). */
  static final PointwiseOp HYPOT = PointwiseOp.mapped("hypot", Math::hypot,
      (g, out, a, b) -> g.mul(a).div(out), (g, out, x, y) -> g * x / out,
      (g, out, a, b) -> g.mul(b).div(out), (g, out, x, y) -> g * y / out);

  // ------------------------------------------------------------ families (ops that take constants)

  /** d(x^p) = p·x^(p−1); for p = 0 (x⁰ = 1) exactly zeros, never 0·∞ at x = 0. */
  static PointwiseOp pow(double p) {
    return p == 0.0
        ? PointwiseOp.unary("pow", x -> x.pow(0.0), x -> 1.0,
            (g, out, x) -> Value.zeros(x.shape()), (g, out, x) -> 0.0)
        : PointwiseOp.unary("pow", x -> x.pow(p), x -> ScalarMath.pow(x, p),
            (g, out, x) -> g.mul(x.pow(p - 1.0)).mul(p), (g, out, x) -> g * ScalarMath.pow(x, p - 1.0) * p);
  }

  static PointwiseOp leakyRelu(double slope) {
    return PointwiseOp.unary("leakyRelu", x -> x.leakyRelu(slope), x -> x > 0 ? x : slope * x,
        (g, out, x) -> g.mul(constant(NDArray.where(x.array().gt(0.0), NDArray.scalar(1.0), NDArray.scalar(slope)))),
        (g, out, x) -> g * (x > 0 ? 1.0 : slope));
  }

  /** The gradient passes where min ≤ x ≤ max. */
  static PointwiseOp clamp(double min, double max) {
    return PointwiseOp.unary("clamp", x -> x.clamp(min, max), x -> Math.min(Math.max(x, min), max),
        (g, out, x) -> g.mul(constant(x.array().ge(NDArray.scalar(min)).mul(x.array().le(NDArray.scalar(max))))),
        (g, out, x) -> g * (x >= min && x <= max ? 1.0 : 0.0));
  }

  // ------------------------------------------------------------ the table, for the tests that hold it together

  /** Every constant row. */
  static final List<PointwiseOp> TABLE = List.of(ADD, SUB, MUL, DIV, NEG, EXP, LOG, SQRT, ABS, TANH, SIGMOID, RELU,
      SOFTPLUS, MAXIMUM, MINIMUM, SIN, COS, TAN, ASIN, ACOS, ATAN, SINH, COSH, ASINH, ACOSH, ATANH, LOG1P, EXPM1, LOG2,
      LOG10, EXP2, SQUARE, RECIPROCAL, RSQRT, CBRT, ERF, ERFC, SIGN, FLOOR, CEIL, ROUND, TRUNC, ATAN2, HYPOT);

  /** A family of ops made from constants, with the constants its tests use. */
  record Family(String name, Function<double[], PointwiseOp> make, List<double[]> samples) {}

  static final List<Family> FAMILIES = List.of(
      new Family("pow", c -> pow(c[0]),
          List.of(new double[] {0}, new double[] {1}, new double[] {2}, new double[] {3}, new double[] {0.5},
              new double[] {-1}, new double[] {-2.5})),
      new Family("leakyRelu", c -> leakyRelu(c[0]), List.of(new double[] {0.1}, new double[] {0},
          new double[] {-2})),
      new Family("clamp", c -> clamp(c[0], c[1]), List.of(new double[] {-1, 2}, new double[] {0, 0},
          new double[] {Double.NEGATIVE_INFINITY, 1})));
}
