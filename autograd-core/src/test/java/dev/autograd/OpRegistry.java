package dev.autograd;

import dev.autograd.array.DType;
import dev.autograd.array.NDArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The OpInfo-style table: every differentiable op of {@link Value} with sample inputs (several shapes, broadcasting
 * pairs, rank 0, edge points such as 0, negatives and large magnitudes) and the calls that must be rejected.
 * {@link OpGradientTest} runs first- and second-order gradient checks over every sample; {@link OpCoverageTest}
 * fails when a public op of {@code Value} has no entry here.
 */
final class OpRegistry {
  /** One way to call the op, on the given inputs. */
  record Sample(String description, boolean secondOrder, ValueFunction fn, NDArray... inputs) {}

  /** A call that must throw IllegalArgumentException whose message contains every fragment. */
  record Rejection(String description, Runnable call, String... fragments) {}

  static final class OpInfo {
    final String name;
    final List<Sample> samples = new ArrayList<>();
    final List<Rejection> rejections = new ArrayList<>();

    OpInfo(String name) {
      this.name = name;
    }

    OpInfo sample(String description, ValueFunction fn, NDArray... inputs) {
      samples.add(new Sample(description, true, fn, inputs));
      return this;
    }

    /** A sample where finite differences of the first derivative are ill-conditioned (not the op's fault). */
    OpInfo firstOrderSample(String description, ValueFunction fn, NDArray... inputs) {
      samples.add(new Sample(description, false, fn, inputs));
      return this;
    }

    OpInfo rejects(String description, Runnable call, String... fragments) {
      rejections.add(new Rejection(description, call, fragments));
      return this;
    }
  }

  private static final SplittableRandom RNG = new SplittableRandom(2024);
  private static final Map<String, OpInfo> OPS = new LinkedHashMap<>();

  private OpRegistry() {}

  static synchronized Map<String, OpInfo> all() {
    if (OPS.isEmpty()) {
      build();
    }
    return OPS;
  }

  static OpInfo op(String name) {
    return OPS.computeIfAbsent(name, OpInfo::new);
  }

  // ------------------------------------------------------------------ input generators

  /** Uniform in [-2, 2]. */
  static NDArray r(int... shape) {
    return NDArray.uniform(RNG, -2, 2, shape);
  }

  /** Uniform in [0.3, 3]. */
  static NDArray pos(int... shape) {
    return NDArray.uniform(RNG, 0.3, 3, shape);
  }

  /** Magnitudes in [0.2, 2] with random signs: away from kinks at 0. */
  static NDArray away(int... shape) {
    double[] d = NDArray.uniform(RNG, 0.2, 2, shape).toArray();
    for (int i = 0; i < d.length; i++) {
      d[i] = RNG.nextBoolean() ? d[i] : -d[i];
    }
    return NDArray.fromFlat(d, shape);
  }

  static NDArray v(double... values) {
    return NDArray.of(values);
  }

  static NDArray s(double value) {
    return NDArray.scalar(value);
  }

  static Runnable call(Runnable r) {
    return r;
  }

  static Value c(NDArray a) {
    return Value.of(a);
  }

  // ------------------------------------------------------------------ the table

  private static void build() {
    binaryArithmetic();
    unaryMath();
    moreUnaryMath();
    compositeShapeAndStatistics();
    activations();
    reductions();
    linearAlgebraAndShape();
    OpRegistrySelection.build();
    OpRegistryLinalg.build();
    OpRegistryConv.build();
  }

  private static void binaryArithmetic() {
    ValueFunction add = x -> x[0].add(x[1]);
    op("add").sample("same shape", add, r(3, 4), r(3, 4))
        .sample("row broadcast", add, r(3, 4), r(4))
        .sample("both broadcast", add, r(2, 1, 3), r(4, 1))
        .sample("rank 0 + matrix", add, s(1.5), r(2, 3))
        .sample("rank 0 + rank 0", add, s(-3), s(0))
        .sample("constant", x -> x[0].add(2.5), r(2, 2))
        .sample("large magnitudes", add, v(1e5, -1e5), v(-1e5, 3))
        .rejects("incompatible shapes", call(() -> c(r(2, 3)).add(c(r(2)))), "add", "[2, 3]", "[2]")
        .rejects("NaN constant", call(() -> c(r(2)).add(Double.NaN)), "add", "NaN");
    ValueFunction sub = x -> x[0].sub(x[1]);
    op("sub").sample("same shape", sub, r(3, 4), r(3, 4))
        .sample("column broadcast", sub, r(3, 4), r(3, 1))
        .sample("rank 0 - vector", sub, s(0), r(5))
        .sample("constant", x -> x[0].sub(-1), r(3))
        .rejects("incompatible shapes", call(() -> c(r(4)).sub(c(r(3)))), "sub", "[4]", "[3]")
        .rejects("infinite constant", call(() -> c(r(2)).sub(Double.POSITIVE_INFINITY)), "sub", "Infinity");
    ValueFunction mul = x -> x[0].mul(x[1]);
    op("mul").sample("same shape", mul, r(3, 4), r(3, 4))
        .sample("broadcast", mul, r(2, 3, 4), r(3, 1))
        .sample("with zeros and negatives", mul, v(0, -3, 5), v(2, 0, -1e3))
        .sample("rank 0", mul, s(-2), s(7))
        .sample("self", x -> x[0].mul(x[0]), r(4))
        .sample("constant", x -> x[0].mul(-3), r(2, 2))
        .rejects("incompatible shapes", call(() -> c(r(2, 2)).mul(c(r(3, 2)))), "mul", "[2, 2]", "[3, 2]");
    ValueFunction div = x -> x[0].div(x[1]);
    op("div").sample("same shape", div, r(3, 4), away(3, 4))
        .sample("broadcast denominator", div, r(2, 3), away(3))
        .sample("zero numerator, large denominator", div, v(0, 1), v(1e3, -0.5))
        .sample("rank 0", div, s(3), s(-0.7))
        .sample("constant", x -> x[0].div(4), r(3))
        .sample("constant numerator", x -> Value.scalar(10).div(x[0]), away(3))
        .rejects("constant zero", call(() -> c(r(2)).div(0.0)), "div", "0")
        .rejects("incompatible shapes", call(() -> c(r(2)).div(c(r(3)))), "div", "[2]", "[3]");
    op("neg").sample("matrix", x -> x[0].neg(), r(2, 3)).sample("rank 0", x -> x[0].neg(), s(0));
    op("pow").sample("square", x -> x[0].pow(2), r(3, 2))
        .sample("cube with negatives and 0", x -> x[0].pow(3), v(-2, 0, 1.5))
        .sample("square root exponent", x -> x[0].pow(0.5), pos(4))
        .sample("negative exponent", x -> x[0].pow(-1.5), pos(4))
        .sample("exponent 0", x -> x[0].pow(0), v(0, -1, 2))
        .sample("large base", x -> x[0].pow(3), v(50, -80))
        .sample("value exponent", x -> x[0].pow(x[1]), pos(2, 3), r(2, 3))
        .sample("broadcast value exponent", x -> x[0].pow(x[1]), pos(2, 3), r(3))
        .firstOrderSample("value exponent, base 0 (d/dp needs log of a perturbed negative base)",
            x -> x[0].pow(x[1]), v(0, 0.5), v(2, 3))
        .rejects("NaN exponent", call(() -> c(r(2)).pow(Double.NaN)), "pow", "NaN")
        .rejects("incompatible exponent", call(() -> c(pos(2)).pow(c(r(3)))), "pow", "[2]", "[3]");
    op("maximum").sample("same shape", x -> x[0].maximum(x[1]), r(3, 4), r(3, 4))
        .sample("broadcast", x -> x[0].maximum(x[1]), r(2, 3), r(3))
        .sample("large", x -> x[0].maximum(x[1]), v(1e5, -1e5), v(-1e5, 1e5))
        .rejects("incompatible shapes", call(() -> c(r(2)).maximum(c(r(3)))), "maximum", "[2]", "[3]");
    op("minimum").sample("same shape", x -> x[0].minimum(x[1]), r(3, 4), r(3, 4))
        .sample("broadcast", x -> x[0].minimum(x[1]), r(4, 1), r(3))
        .rejects("incompatible shapes", call(() -> c(r(2)).minimum(c(r(3)))), "minimum", "[2]", "[3]");
    NDArray mask = v(1, 0, 0, 1);
    op("where").sample("same shape", x -> Value.where(c(mask), x[0], x[1]), r(4), r(4))
        .sample("broadcast branches", x -> Value.where(c(NDArray.of(new double[][] {{1, 0, 1}, {0, 0, 1}})),
            x[0], x[1]), r(3), r(2, 1))
        .rejects("incompatible mask", call(() -> Value.where(c(v(1, 0, 1)), c(r(2)), c(r(2)))), "where", "[3]");
  }

  private static void unaryMath() {
    op("to").sample("through float64 and back", x -> x[0].to(DType.FLOAT64).mul(x[0]).to(x[0].dtype()), r(3, 4))
        .sample("rank 0", x -> x[0].to(DType.FLOAT64).exp().to(x[0].dtype()), r());
    op("exp").sample("matrix", x -> x[0].exp(), r(3, 3))
        .sample("edge points", x -> x[0].exp(), v(0, -30, -700))
        .sample("large", x -> x[0].exp(), v(20, 30));
    op("log").sample("matrix", x -> x[0].log(), pos(3, 3))
        .sample("small and large", x -> x[0].log(), v(1e-3, 1, 1e5));
    op("sqrt").sample("matrix", x -> x[0].sqrt(), pos(2, 3))
        .sample("small and large", x -> x[0].sqrt(), v(1e-2, 1e5));
    op("abs").sample("away from 0", x -> x[0].abs(), away(2, 3))
        .sample("large", x -> x[0].abs(), v(-1e5, 1e5));
  }

  /** The ops whose array kernel maps their scalar function (PointwiseOp.mapped): trigonometry, logs, rounding. */
  private static void moreUnaryMath() {
    unary("sin", x -> x[0].sin(), r(3, 4), v(0, Math.PI / 2, -Math.PI, 1e4), s(0.7));
    unary("cos", x -> x[0].cos(), r(3, 4), v(0, Math.PI / 2, -Math.PI, 1e4), s(-2.1));
    unary("tan", x -> x[0].tan(), NDArray.uniform(RNG, -1.2, 1.2, 3, 2), v(-1.4, 0, 1e-9, 1.4), s(0.3));
    unary("asin", x -> x[0].asin(), NDArray.uniform(RNG, -0.9, 0.9, 2, 3), v(-0.95, 0, 1e-9, 0.95), s(-0.2));
    unary("acos", x -> x[0].acos(), NDArray.uniform(RNG, -0.9, 0.9, 2, 3), v(-0.95, 0, 1e-9, 0.95), s(0.4));
    unary("atan", x -> x[0].atan(), r(2, 3), v(0, -1e5, 1e5), s(1.5));
    unary("sinh", x -> x[0].sinh(), r(3, 2), v(0, -8, 8), s(-0.5));
    unary("cosh", x -> x[0].cosh(), r(3, 2), v(0, -8, 8), s(1.1));
    unary("asinh", x -> x[0].asinh(), r(2, 3), v(0, 1e-9, -1e6, 1e6), s(-3));
    unary("acosh", x -> x[0].acosh(), NDArray.uniform(RNG, 1.1, 4, 3, 2), v(1.05, 1.5, 1e6), s(2.5));
    unary("atanh", x -> x[0].atanh(), NDArray.uniform(RNG, -0.8, 0.8, 2, 3), v(-0.9, 0, 1e-9, 0.9), s(0.5));
    unary("log1p", x -> x[0].log1p(), pos(3, 2), v(-0.9, -1e-10, 0, 1e-10, 3, 1e8), s(0.2));
    unary("expm1", x -> x[0].expm1(), r(3, 2), v(-20, -1e-10, 0, 1e-10, 3), s(-0.3));
    unary("log2", x -> x[0].log2(), pos(3, 2), v(0.25, 1, 8, 1e10), s(2));
    unary("log10", x -> x[0].log10(), pos(3, 2), v(0.01, 1, 1000, 1e10), s(5));
    unary("exp2", x -> x[0].exp2(), r(2, 3), v(-20, 0, 10), s(0.5));
    unary("square", x -> x[0].square(), r(3, 3), v(0, -1e5, 1e5), s(-1.5));
    unary("reciprocal", x -> x[0].reciprocal(), away(2, 3), v(-1e-3, 1e-3, 1e5), s(-4));
    unary("rsqrt", x -> x[0].rsqrt(), pos(2, 3), v(1e-4, 1, 1e8), s(0.5));
    unary("cbrt", x -> x[0].cbrt(), away(2, 3), v(-27, 8, 1e-3, 1e9), s(-0.125));
    unary("erf", x -> x[0].erf(), r(3, 2), v(0, 1e-9, -3.5, 3.5, 6), s(0.7));
    unary("erfc", x -> x[0].erfc(), r(3, 2), v(0, -3.5, 3.5, 6), s(1.3));
    // piecewise constant: zero gradient; samples away from the jumps, where finite differences are 0 as well
    unary("sign", x -> x[0].sign(), away(2, 3), v(-2.5, -1e-3, 1e-3, 3, 1e10), s(-0.5));
    unary("floor", x -> x[0].floor(), v(0.5, -1.5, 2.25), v(-2.5, -0.3, 0.3, 1.7, 1e6 + 0.5), s(2.2));
    unary("ceil", x -> x[0].ceil(), v(0.5, -1.5, 2.25), v(-2.5, -0.3, 0.3, 1.7, -1e6 - 0.5), s(-2.2));
    unary("round", x -> x[0].round(), v(0.25, -1.25, 2.75), v(-2.3, -0.7, 0.2, 1.6, 2.4), s(0.4));
    unary("trunc", x -> x[0].trunc(), v(0.5, -1.5, 2.25), v(-2.5, -0.3, 0.3, 1.7, -1e6 - 0.5), s(-1.9));
    ValueFunction atan2 = x -> x[0].atan2(x[1]);
    op("atan2").sample("same shape", atan2, away(3, 2), away(3, 2))
        .sample("broadcast", atan2, away(2, 3), away(3))
        .sample("all four quadrants", atan2, v(1, 1, -1, -1), v(1, -1, 1, -1))
        .sample("rank 0", atan2, s(0.5), s(-2))
        .sample("large magnitudes", atan2, v(1e5, -3), v(2, 1e5))
        .rejects("incompatible shapes", call(() -> c(r(2, 3)).atan2(c(r(2)))), "atan2", "[2, 3]", "[2]");
    ValueFunction hypot = x -> x[0].hypot(x[1]);
    op("hypot").sample("same shape", hypot, away(3, 2), away(3, 2))
        .sample("broadcast", hypot, away(2, 3), away(2, 1))
        .sample("one side zero", hypot, v(0, 3), v(-2, 0))
        .sample("rank 0", hypot, s(-3), s(4))
        .sample("large magnitudes", hypot, v(1e5, -3e5), v(2e5, 1e5))
        .rejects("incompatible shapes", call(() -> c(r(4)).hypot(c(r(3)))), "hypot", "[4]", "[3]");
  }

  /** A unary op sampled on a matrix or vector, on edge points, and at rank 0 (the scalar lane). */
  private static void unary(String name, ValueFunction fn, NDArray general, NDArray edges, NDArray scalar) {
    op(name).sample("general", fn, general).sample("edge points", fn, edges).sample("rank 0", fn, scalar)
        .sample("inside a sum", xs -> fn.apply(xs).sum(), general);
  }

  /** Shape and statistics ops composed from others (their gradients come from reshape, indexSelect, sums). */
  private static void compositeShapeAndStatistics() {
    op("unsqueeze").sample("middle", x -> x[0].unsqueeze(1), r(2, 3))
        .sample("last, negative", x -> x[0].unsqueeze(-1), r(3))
        .sample("rank 0", x -> x[0].unsqueeze(0), s(1.5))
        .rejects("axis out of range", call(() -> c(r(2, 3)).unsqueeze(3)), "unsqueeze", "axis 3");
    op("squeeze").sample("all", x -> x[0].squeeze(), r(1, 3, 1))
        .sample("one axis", x -> x[0].squeeze(0), r(1, 3, 1))
        .sample("a longer axis is left alone", x -> x[0].squeeze(1), r(1, 3, 1))
        .rejects("axis out of range", call(() -> c(r(1, 3)).squeeze(2)), "squeeze", "axis 2");
    op("flatten").sample("all", x -> x[0].flatten(), r(2, 3, 2))
        .sample("middle axes", x -> x[0].flatten(1, 2), r(2, 3, 2, 2))
        .sample("rank 0", x -> x[0].flatten(), s(-2))
        .rejects("start after end", call(() -> c(r(2, 3, 4)).flatten(2, 1)), "flatten", "after");
    op("flip").sample("one axis", x -> x[0].flip(1), r(2, 3))
        .sample("two axes", x -> x[0].flip(0, -1), r(2, 3, 2))
        .rejects("no axis", call(() -> c(r(2)).flip()), "flip", "axis")
        .rejects("axis out of range", call(() -> c(r(2)).flip(1)), "flip", "axis 1");
    op("lerp").sample("scalar weight", x -> x[0].lerp(x[1], x[2]), r(3), r(3), s(0.3))
        .sample("broadcast", x -> x[0].lerp(x[1], x[2]), r(2, 3), r(3), r(2, 1))
        .sample("rank 0", x -> x[0].lerp(x[1], x[2]), s(1), s(-2), s(0.75))
        .rejects("incompatible shapes", call(() -> c(r(2)).lerp(c(r(3)), c(s(0.5)))), "[2]", "[3]");
    op("var").sample("sample variance", x -> x[0].var(1), r(3, 4))
        .sample("population, all axes, kept", x -> x[0].var(new int[0], 0, true), r(2, 3))
        .sample("two axes", x -> x[0].var(0, 2), r(2, 3, 4))
        .sample("large magnitudes", x -> x[0].var(), v(1e4, 1e4 + 1, 1e4 - 2))
        .rejects("negative correction", call(() -> c(r(3)).var(new int[0], -1, false)), "var", "correction")
        .rejects("axis out of range", call(() -> c(r(3)).var(1)), "var", "axis 1");
    op("std").sample("sample deviation", x -> x[0].std(0), r(4, 2))
        .sample("population", x -> x[0].std(new int[] {1}, 0, false), r(2, 5))
        .rejects("axis out of range", call(() -> c(r(3)).std(2)), "std", "axis 2");
    op("roll").sample("forward", x -> x[0].roll(1, 1), r(2, 3))
        .sample("backward, more than the length", x -> x[0].roll(-4, 0), r(3, 2))
        .rejects("axis out of range", call(() -> c(r(3)).roll(1, 1)), "roll", "axis 1");
    op("repeat").sample("per axis", x -> x[0].repeat(2, 3), r(2, 1))
        .sample("new leading axis", x -> x[0].repeat(2, 1, 2), r(3, 2))
        .sample("rank 0", x -> x[0].repeat(4), s(1.5))
        .rejects("too few repetitions", call(() -> c(r(2, 3)).repeat(2)), "repeat", "rank 2")
        .rejects("negative", call(() -> c(r(2)).repeat(-1)), "repeat", "-1");
    op("tril").sample("square", x -> x[0].tril(0), r(3, 3))
        .sample("batched, below the diagonal", x -> x[0].tril(-1), r(2, 3, 4))
        .rejects("vector", call(() -> c(r(3)).tril(0)), "tril", "rank >= 2");
    op("triu").sample("square", x -> x[0].triu(0), r(3, 3))
        .sample("wide, above the diagonal", x -> x[0].triu(1), r(2, 4))
        .rejects("vector", call(() -> c(r(3)).triu(0)), "triu", "rank >= 2");
    op("diag").sample("vector to matrix", x -> x[0].diag(), r(3))
        .sample("matrix to vector", x -> x[0].diag(), r(3, 4))
        .rejects("rank 3", call(() -> c(r(2, 2, 2)).diag()), "diag", "[2, 2, 2]");
    op("cumsum").sample("last axis", x -> x[0].cumsum(-1), r(2, 4))
        .sample("first axis", x -> x[0].cumsum(0), r(3, 2, 2))
        .sample("rank 0", x -> x[0].cumsum(0), s(2.5))
        .sample("large magnitudes", x -> x[0].cumsum(0), v(1e4, -1e4, 3))
        .rejects("axis out of range", call(() -> c(r(2, 3)).cumsum(2)), "cumsum", "axis 2");
    op("trace").sample("square", x -> x[0].trace(), r(3, 3))
        .sample("wide", x -> x[0].trace(), r(2, 4))
        .rejects("vector", call(() -> c(r(3)).trace()), "trace", "[3]");
  }

  private static void activations() {
    op("tanh").sample("matrix", x -> x[0].tanh(), r(3, 3))
        .sample("edge points", x -> x[0].tanh(), v(0, -20, 20));
    op("sigmoid").sample("matrix", x -> x[0].sigmoid(), r(3, 3))
        .sample("edge points", x -> x[0].sigmoid(), v(0, -40, 40, -1000, 1000));
    op("relu").sample("away from 0", x -> x[0].relu(), away(3, 4))
        .sample("large", x -> x[0].relu(), v(-1e5, 1e5));
    op("leakyRelu").sample("away from 0", x -> x[0].leakyRelu(0.01), away(3, 4))
        .sample("slope 0.2", x -> x[0].leakyRelu(0.2), away(5))
        .rejects("NaN slope", call(() -> c(r(2)).leakyRelu(Double.NaN)), "leakyRelu", "NaN");
    op("softplus").sample("matrix", x -> x[0].softplus(), r(3, 3))
        .sample("edge points", x -> x[0].softplus(), v(0, -40, 40, -1000, 1000));
    op("clamp").sample("inside and outside", x -> x[0].clamp(-1, 1), v(-1.7, -0.5, 0.3, 0.9, 1.6))
        .sample("matrix", x -> x[0].clamp(-0.5, 3), v(-2, -1, 0.1, 2.5))
        .rejects("min above max", call(() -> c(r(2)).clamp(1, -1)), "clamp", "[1.0, -1.0]")
        .rejects("NaN bound", call(() -> c(r(2)).clamp(Double.NaN, 1)), "clamp", "NaN");
  }

  private static void reductions() {
    op("sum").sample("all", x -> x[0].sum(), r(3, 4))
        .sample("axis 0", x -> x[0].sum(new int[] {0}, false), r(3, 4))
        .sample("axes 0,2 keepDims", x -> x[0].sum(new int[] {0, 2}, true), r(2, 3, 4))
        .sample("negative axis", x -> x[0].sum(new int[] {-1}, false), r(2, 3, 4))
        .sample("rank 0", x -> x[0].sum(), s(2))
        .rejects("axis out of range", call(() -> c(r(2, 3)).sum(new int[] {2}, false)), "sum", "axis 2", "rank 2")
        .rejects("duplicate axis", call(() -> c(r(2, 3)).sum(new int[] {1, -1}, false)), "sum", "twice");
    op("mean").sample("all", x -> x[0].mean(), r(3, 4))
        .sample("axis 1 keepDims", x -> x[0].mean(new int[] {1}, true), r(3, 4))
        .sample("middle axis", x -> x[0].mean(new int[] {1}, false), r(2, 3, 4))
        .rejects("axis out of range", call(() -> c(r(2)).mean(new int[] {-2}, false)), "mean", "axis -2");
    op("max").sample("all", x -> x[0].max(), r(3, 4))
        .sample("axis 1", x -> x[0].max(new int[] {1}, false), r(3, 4))
        .sample("axes 0,1 keepDims", x -> x[0].max(new int[] {0, 1}, true), r(2, 3, 2))
        .rejects("axis out of range", call(() -> c(r(2)).max(new int[] {1}, false)), "max", "axis 1")
        .rejects("empty axis", call(() -> c(NDArray.zeros(0, 2)).max(new int[] {0}, false)), "max", "length 0");
    op("min").sample("all", x -> x[0].min(), r(3, 4))
        .sample("axis 0", x -> x[0].min(new int[] {0}, false), r(3, 4))
        .rejects("axis out of range", call(() -> c(r(2)).min(new int[] {5}, false)), "min", "axis 5");
    op("logSumExp").sample("axis 1", x -> x[0].logSumExp(new int[] {1}, false), r(3, 4))
        .sample("all keepDims", x -> x[0].logSumExp(new int[0], true), r(2, 3))
        .sample("huge logits", x -> x[0].logSumExp(new int[] {0}, false), v(1000, -1000, 999))
        .rejects("axis out of range", call(() -> c(r(2)).logSumExp(new int[] {1}, false)), "logSumExp", "axis 1");
    op("softmax").sample("rows", x -> x[0].softmax(1), r(3, 4))
        .sample("axis 0", x -> x[0].softmax(0), r(3, 4))
        .sample("huge logits", x -> x[0].softmax(-1), NDArray.of(new double[][] {{1000, -1000, 0}, {-5, 5, 1000}}))
        .rejects("axis out of range", call(() -> c(r(2, 2)).softmax(2)), "softmax", "axis 2");
    op("logSoftmax").sample("rows", x -> x[0].logSoftmax(1), r(3, 4))
        .sample("3-d middle axis", x -> x[0].logSoftmax(1), r(2, 3, 2))
        .sample("huge logits", x -> x[0].logSoftmax(0), v(1000, -1000, 0))
        .rejects("axis out of range", call(() -> c(r(2)).logSoftmax(-2)), "logSoftmax", "axis -2");
  }

  private static void linearAlgebraAndShape() {
    ValueFunction mm = x -> x[0].matmul(x[1]);
    op("matmul").sample("2-d", mm, r(3, 4), r(4, 2))
        .sample("batched with broadcast", mm, r(2, 3, 4), r(4, 5))
        .sample("batch broadcast both", mm, r(2, 1, 2, 3), r(3, 3, 2))
        .sample("vector @ matrix", mm, r(3), r(3, 2))
        .sample("matrix @ vector", mm, r(2, 3), r(3))
        .sample("dot product", mm, r(4), r(4))
        .sample("transposed operand", x -> x[0].transpose().matmul(x[1]), r(4, 3), r(4, 2))
        .sample("transposed right operand (Linear)", x -> x[0].matmul(x[1].transpose()), r(5, 3), r(2, 3))
        .sample("batched input, transposed weight", x -> x[0].matmul(x[1].transpose()), r(2, 4, 3), r(2, 3))
        .sample("square transposed weight", x -> x[0].matmul(x[1].transpose()), r(3, 3), r(3, 3))
        .rejects("inner mismatch", call(() -> c(r(2, 3)).matmul(c(r(2, 3)))), "matmul", "[2, 3] @ [2, 3]")
        .rejects("rank 0", call(() -> c(s(1)).matmul(c(r(2)))), "matmul", "rank");
    op("matmulTransposed").sample("2-d (Linear)", x -> x[0].matmulTransposed(x[1]), r(5, 3), r(2, 3))
        .sample("batched input", x -> x[0].matmulTransposed(x[1]), r(2, 4, 3), r(2, 3))
        .sample("square", x -> x[0].matmulTransposed(x[1]), r(3, 3), r(3, 3))
        .sample("vector input", x -> x[0].matmulTransposed(x[1]), r(3), r(4, 3))
        .rejects("inner mismatch", call(() -> c(r(2, 3)).matmulTransposed(c(r(2, 4)))), "matmulTransposed",
            "[2, 3] @ [2, 4]")
        .rejects("right operand not a matrix", call(() -> c(r(2, 3)).matmulTransposed(c(r(3)))),
            "matmulTransposed", "matrix", "[3]");
    op("linear").sample("2-d with bias (Linear)", x -> x[0].linear(x[1], x[2]), r(5, 3), r(2, 3), r(2))
        .sample("batched input", x -> x[0].linear(x[1], x[2]), r(2, 4, 3), r(2, 3), r(2))
        .sample("vector input", x -> x[0].linear(x[1], x[2]), r(3), r(4, 3), r(4))
        .sample("no bias", x -> x[0].linear(x[1], null), r(4, 3), r(2, 3))
        .rejects("bias of the wrong length", call(() -> c(r(2, 3)).linear(c(r(4, 3)), c(r(3)))), "linear",
            "[4, 3]", "[3]")
        .rejects("inner mismatch", call(() -> c(r(2, 3)).linear(c(r(4, 2)), c(r(4)))), "linear", "[2, 3] @ [4, 2]");
    op("reshape").sample("flatten", x -> x[0].reshape(-1), r(2, 3))
        .sample("to 3-d", x -> x[0].reshape(3, 1, 2), r(2, 3))
        .sample("of a transpose", x -> x[0].transpose().reshape(6), r(2, 3))
        .rejects("size mismatch", call(() -> c(r(2, 3)).reshape(4, 2)), "reshape", "[2, 3]", "[4, 2]");
    op("transpose").sample("matrix", x -> x[0].transpose(), r(2, 3))
        .sample("axes 0,2", x -> x[0].transpose(0, 2), r(2, 3, 4))
        .rejects("rank 1", call(() -> c(r(3)).transpose()), "transpose", "rank");
    op("permute").sample("3-d", x -> x[0].permute(2, 0, 1), r(2, 3, 4))
        .rejects("repeated axis", call(() -> c(r(2, 3)).permute(1, 1)), "permute", "twice")
        .rejects("wrong length", call(() -> c(r(2, 3)).permute(0)), "permute", "rank 2");
    op("broadcastTo").sample("row to matrix", x -> x[0].broadcastTo(3, 4), r(4))
        .sample("column and lead axis", x -> x[0].broadcastTo(2, 3, 4), r(3, 1))
        .rejects("incompatible", call(() -> c(r(3)).broadcastTo(2, 4)), "broadcastTo", "[3]", "[2, 4]");
    op("sumTo").sample("matrix to row", x -> x[0].sumTo(4), r(3, 4))
        .sample("to column", x -> x[0].sumTo(3, 1), r(3, 4))
        .rejects("not a broadcast", call(() -> c(r(3, 4)).sumTo(3)), "sumTo", "[3, 4]", "[3]");
    op("slice").sample("columns", x -> x[0].slice(1, 1, 3), r(3, 4))
        .sample("negative start", x -> x[0].slice(0, -2, 3), r(3, 4))
        .rejects("out of range", call(() -> c(r(3)).slice(0, 1, 5)), "slice", "[1, 5)", "length 3");
    op("pad").sample("both sides", x -> x[0].pad(1, 2, 1), r(2, 3))
        .rejects("negative padding", call(() -> c(r(3)).pad(0, -1, 0)), "pad", "-1");
    op("indexSelect").sample("rows with repeats", x -> x[0].indexSelect(0, 2, 0, 2, 1), r(3, 2))
        .sample("columns", x -> x[0].indexSelect(1, 1), r(3, 2))
        .rejects("index out of range", call(() -> c(r(3)).indexSelect(0, 3)), "indexSelect", "index 3");
    op("indexAdd").sample("scatter rows", x -> x[0].indexAdd(0, new int[] {1, 1, 0}, x[1]), r(2, 3), r(3, 3))
        .rejects("source shape", call(() -> c(r(2, 3)).indexAdd(0, new int[] {0}, c(r(2, 3)))), "indexAdd",
            "[2, 3]", "[1, 3]");
    op("concat").sample("rows", x -> Value.concat(0, x[0], x[1]), r(2, 3), r(1, 3))
        .sample("columns of three", x -> Value.concat(-1, x[0], x[1], x[0]), r(2, 2), r(2, 1))
        .rejects("mismatch", call(() -> Value.concat(0, c(r(2, 3)), c(r(2, 2)))), "concat", "[2, 2]");
    op("stack").sample("new leading axis", x -> Value.stack(0, x[0], x[1]), r(2, 3), r(2, 3))
        .sample("new last axis", x -> Value.stack(2, x[0], x[1]), r(2, 3), r(2, 3))
        .rejects("different shapes", call(() -> Value.stack(0, c(r(2)), c(r(3)))), "stack", "[3]", "[2]");
  }

}
