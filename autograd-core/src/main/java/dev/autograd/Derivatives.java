package dev.autograd;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.autograd.array.NDArray;
import dev.autograd.array.Shapes;
import java.util.Arrays;

/**
 * Every differentiable op that is not a pointwise row of {@link PointwiseOps}, in one table: the forward computation
 * on {@link NDArray}s and the backward rule, written in {@link Value} ops (like PyTorch's {@code derivatives.yaml}). Because rules are themselves differentiable, running
 * them with recording on gives higher-order derivatives for free. Rules may return gradients in a broadcast shape;
 * the engine sums them back to each input's shape. {@code g} is the incoming gradient and {@code out} the op's own
 * result.
 *
 * <p>Primitives are at the top; composite ops (mean, logSumExp, softmax, logSoftmax, stack) at the bottom are built
 * from them and need no rule of their own.
 */
final class Derivatives {
  private Derivatives() {}

  private static Value[] grads(Value... g) {
    return g;
  }

  private static Value constant(NDArray a) {
    return Value.of(a);
  }

  // ------------------------------------------------------------ arithmetic

  // Pointwise ops with constant operands and one rule per input are rows of PointwiseOps.

  /**
   * d(x^p)/dx = p·x^(p−1), with the exponent replaced by 1 where p = 0 so that gradient is exactly 0;
   * d(x^p)/dp = x^p·log x, with log x taken as 0 where x = 0 (the limit for p &gt; 0).
   */
  static Value pow(Value a, Value p) {
    return Value.record("pow", a.array().pow(p.array()), (g, out) -> {
      NDArray pZero = p.array().eq(0.0);
      Value safeExponent = Value.where(constant(pZero), Value.scalar(1.0), p).sub(1.0);
      Value dBase = g.mul(p).mul(a.pow(safeExponent));
      NDArray aZero = a.array().eq(0.0);
      Value safeLog = Value.where(constant(aZero), Value.scalar(1.0), a).log();
      Value dExponent = g.mul(out).mul(safeLog);
      return grads(dBase, dExponent);
    }, a, p);
  }

  static Value where(NDArray mask, Value a, Value b) {
    NDArray m = mask.eq(0.0).eq(0.0); // normalise any non-zero to 1
    return Value.record("where", NDArray.where(m, a.array(), b.array()),
        (g, out) -> grads(g.mul(constant(m)), g.mul(constant(m.neg().add(1.0)))), a, b);
  }

  // ------------------------------------------------------------ reductions

  static Value sum(Value a, int[] axes, boolean keepDims) {
    int[] inShape = a.shape();
    int[] ax = Shapes.normalizeAxes("sum", axes, inShape.length);
    return Value.record("sum", a.array().sum(ax, keepDims),
        (g, out) -> grads(g.reshape(Shapes.reducedShape(inShape, ax, true)).broadcastTo(inShape)), a);
  }

  /**
   * max/min: the gradient goes to the elements equal to the result; k tied elements get g/k each.
   */
  static Value max(Value a, int[] axes, boolean keepDims) {
    int[] ax = Shapes.normalizeAxes("max", axes, a.rank());
    return extremum("max", a, ax, keepDims, a.array().max(ax, keepDims));
  }

  static Value min(Value a, int[] axes, boolean keepDims) {
    int[] ax = Shapes.normalizeAxes("min", axes, a.rank());
    return extremum("min", a, ax, keepDims, a.array().min(ax, keepDims));
  }

  private static Value extremum(String op, Value a, int[] ax, boolean keepDims, NDArray result) {
    int[] inShape = a.shape();
    int[] kept = Shapes.reducedShape(inShape, ax, true);
    return Value.record(op, result, (g, out) -> {
      NDArray hits = a.array().eq(out.array().reshape(kept));
      NDArray share = hits.div(hits.sum(ax, true));
      return grads(g.reshape(kept).mul(constant(share)));
    }, a);
  }

  /**
   * Product over {@code axes}, exact with zeros. Without zeros, d/dxᵢ = out/xᵢ; with them, d/dxᵢ is the product of
   * the others, taken as (product of those before i)·(product of those after i) along the reduced elements, two
   * running products that divide by nothing and differentiate again.
   */
  static Value prod(Value a, int[] axes, boolean keepDims) {
    int[] inShape = a.shape();
    int[] ax = Shapes.normalizeAxes("prod", axes, inShape.length);
    int[] kept = Shapes.reducedShape(inShape, ax, true);
    return Value.record("prod", a.array().prod(ax, keepDims), (g, out) -> {
      Value gk = g.reshape(kept);
      if (!hasZero(a.array())) {
        return grads(gk.mul(out.reshape(kept)).div(a));
      }
      // reduced axes last and merged: one line per output element
      int[] order = new int[inShape.length];
      int[] lineShape = new int[inShape.length - ax.length + 1];
      int k = 0;
      for (int d = 0; d < inShape.length; d++) {
        if (Arrays.binarySearch(ax, d) < 0) {
          lineShape[k] = inShape[d];
          order[k++] = d;
        }
      }
      int n = 1;
      for (int d : ax) {
        n *= inShape[d];
        order[k++] = d;
      }
      lineShape[lineShape.length - 1] = n;
      int[] inverse = new int[order.length];
      for (int i = 0; i < order.length; i++) {
        inverse[order[i]] = i;
      }
      Value lines = a.permute(order).reshape(lineShape);
      Value others = exclusiveCumprod(lines).mul(exclusiveCumprod(lines.flip(-1)).flip(-1));
      int[] movedShape = new int[inShape.length];
      for (int i = 0; i < order.length; i++) {
        movedShape[i] = inShape[order[i]];
      }
      return grads(gk.mul(others.reshape(movedShape).permute(inverse)));
    }, a);
  }

  private static boolean hasZero(NDArray a) {
    return a.eq(0.0).sum().item() > 0; // a sum, not a max: an empty array has no zero (and no maximum)
  }

  /** Along the last axis: element i is the product of elements 0..i−1 (1 for the first). */
  private static Value exclusiveCumprod(Value lines) {
    int n = lines.shape()[lines.rank() - 1];
    return n <= 1 ? Value.ones(lines.dtype(), lines.shape()) : lines.slice(-1, 0, n - 1).cumprod(-1).pad(-1, 1, 0)
        .add(Value.of(NDArray.of(lines.dtype(), 1.0).pad(0, 0, n - 1)));
  }

  /**
   * Running products. Without zeros, d/dxᵢ = Σ_{j≥i} gⱼ·outⱼ / xᵢ (a reversed cumsum). With zeros, only the first zero
   * of a line has a gradient besides the elements before it: Σ_{j≥z} gⱼ·Π_{k≤j, k≠z} xₖ, the running product with that
   * zero read as 1, up to the next zero. That formula drops second-order terms between two zeros of one line, so when
   * the graph is being recorded and a line has two zeros, the gradient is built as Σ_{j≥i} gⱼ·Π_{k≤j, k≠i} xₖ from
   * an n×n table of running products per line (PyTorch does the same for double backward).
   */
  static Value cumprod(Value a, int axis) {
    return Value.record("cumprod", a.array().cumprod(axis), (g, out) -> {
      if (a.rank() == 0) {
        return grads(g);
      }
      if (!hasZero(a.array())) {
        return grads(reversedCumsum(g.mul(out), axis).div(a));
      }
      NDArray zero = a.array().eq(0.0);
      NDArray zerosSoFar = zero.cumsum(axis);
      if (GraphMode.current().gradEnabled && zerosSoFar.max().item() >= 2) {
        return grads(cumprodGradientTable(a, g, axis));
      }
      Value beforeZeros = reversedCumsum(g.mul(out), axis);
      Value nonZero = Value.where(constant(zero), Value.scalar(1.0), a);
      Value atFirstZero = reversedCumsum(g.mul(nonZero.cumprod(axis)).mul(constant(zerosSoFar.eq(1.0))), axis);
      return grads(Value.where(constant(zero), Value.where(constant(zerosSoFar.eq(1.0)), atFirstZero,
          Value.scalar(0.0)), beforeZeros.div(nonZero)));
    }, a);
  }

  /** Σ_{j≥i} gⱼ·Π_{k≤j, k≠i} xₖ: row i of the table is the running product of x with xᵢ read as 1. */
  private static Value cumprodGradientTable(Value a, Value g, int axis) {
    Value lines = a.transpose(axis, -1);
    int n = lines.shape()[lines.rank() - 1];
    NDArray eye = NDArray.eye(n);
    Value table = Value.where(constant(eye), Value.scalar(1.0), lines.unsqueeze(-2)).cumprod(-1);
    Value upper = constant(NDArray.ones(a.dtype(), n, n)).triu(0);
    return table.mul(upper).mul(g.transpose(axis, -1).unsqueeze(-2)).sum(-1).transpose(axis, -1);
  }

  private static Value reversedCumsum(Value v, int axis) {
    return v.flip(axis).cumsum(axis).flip(axis);
  }

  /**
   * Running log Σ eˣ. d/dxᵢ = Σ_{j≥i} gⱼ·exp(xᵢ − outⱼ), summed in log space as PyTorch does: the positive and the
   * negative parts of g each go through a reversed logCumSumExp, so nothing overflows and the rule differentiates
   * again.
   */
  static Value logCumSumExp(Value a, int axis) {
    return Value.record("logCumSumExp", a.array().logCumSumExp(axis), (g, out) -> {
      if (a.rank() == 0) {
        return grads(g);
      }
      return grads(signedPart(g, out, a, axis, true).sub(signedPart(g, out, a, axis, false)));
    }, a);
  }

  private static Value signedPart(Value g, Value out, Value a, int axis, boolean positive) {
    NDArray mask = positive ? g.array().gt(0.0) : g.array().lt(NDArray.scalar(0.0));
    Value magnitude = Value.where(constant(mask), positive ? g : g.neg(), Value.scalar(1.0)).log();
    Value logPart = Value.where(constant(mask), magnitude, Value.scalar(-Double.MAX_VALUE)).sub(out);
    return logPart.flip(axis).logCumSumExp(axis).flip(axis).add(a).exp();
  }

  /**
   * The p-norm over {@code axes} for p &gt; 0 (p = 1, 2 and ∞ as compositions or a direct rule). The gradient
   * x·|x|^(p−2)/‖x‖^(p−1) is taken as 0 where the norm is 0 (PyTorch's subgradient) and, for p &lt; 1, at zero
   * elements.
   */
  static Value norm(Value a, double p, int[] axes, boolean keepDims) {
    checkArgument(p > 0 || p == Double.NEGATIVE_INFINITY, "norm: p must be > 0, +Infinity or -Infinity, got %s", p);
    int[] ax = Shapes.normalizeAxes("norm", axes, a.rank());
    if (p == 1) {
      return a.abs().sum(ax, keepDims);
    }
    if (Double.isInfinite(p)) {
      for (int x : ax) {
        checkArgument(a.shape()[x] > 0, "norm: the %s-norm of nothing is undefined (axis %s of shape %s is empty)", p,
            x, Shapes.lazyFormat(a.shape()));
      }
      return p > 0 ? a.abs().max(ax, keepDims) : a.abs().min(ax, keepDims);
    }
    int[] kept = Shapes.reducedShape(a.shape(), ax, true);
    NDArray result = p == 2 ? a.array().mul(a.array()).sum(ax, keepDims).sqrt()
        : a.array().abs().pow(p).sum(ax, keepDims).pow(1.0 / p);
    return Value.record("norm", result, (g, out) -> {
      Value norm = out.reshape(kept);
      NDArray normZero = norm.array().eq(0.0);
      Value safeNorm = Value.where(constant(normZero), Value.scalar(1.0), norm);
      Value direction = p == 2 ? a.div(safeNorm)
          : a.sign().mul(a.abs().pow(p - 1)).div(safeNorm.pow(p - 1));
      if (p < 1) { // |x|^(p−1) is infinite at zero elements, where the subgradient is taken as 0
        direction = Value.where(constant(a.array().eq(0.0)), Value.scalar(0.0), direction);
      }
      return grads(g.reshape(kept).mul(Value.where(constant(normZero), Value.scalar(0.0), direction)));
    }, a);
  }

  // ------------------------------------------------------------ indexing

  static Value gather(Value a, int axis, NDArray index) {
    int[] inShape = a.shape();
    return Value.record("gather", a.array().gather(axis, index),
        (g, out) -> grads(Value.zeros(inShape).scatterAdd(axis, constant(index), g)), a);
  }

  /**
   * Written elements get no gradient through the target. A source element gets the gradient of the position it was
   * written to, if its write is the one that stands: with repeated positions the last write wins, and the earlier
   * ones get 0 (PyTorch leaves the winner unspecified and gives each the gradient).
   */
  static Value scatter(Value target, int axis, NDArray index, Value src) {
    int[] targetShape = target.shape();
    int[] srcShape = src.shape();
    return Value.record("scatter", target.array().scatter(axis, index, src.array()), (g, out) -> {
      // the masks cost three scatters, so they are made only when a gradient is asked for
      NDArray kept = NDArray.ones(g.dtype(), targetShape).scatter(axis, index, NDArray.zeros(g.dtype(), srcShape));
      NDArray positions = NDArray.arange(Shapes.size(srcShape)).reshape(srcShape);
      NDArray landed = NDArray.full(-1, targetShape).scatter(axis, index, positions).gather(axis, index);
      Value won = fitTo(constant(landed.eq(corner(positions, index.shape()))), srcShape);
      return grads(g.mul(constant(kept)), fitTo(g.gather(axis, constant(index)), srcShape).mul(won));
    }, target, src);
  }

  static Value scatterAdd(Value target, int axis, NDArray index, Value src) {
    return Value.record("scatterAdd", target.array().scatterAdd(axis, index, src.array()),
        (g, out) -> grads(g, fitTo(g.gather(axis, constant(index)), src.shape())), target, src);
  }

  /** Zero-pads the trailing ends of each axis up to {@code shape}: a source may be larger than its index. */
  private static Value fitTo(Value v, int[] shape) {
    for (int d = 0; d < shape.length; d++) {
      if (v.shape()[d] < shape[d]) {
        v = v.pad(d, 0, shape[d] - v.shape()[d]);
      }
    }
    return v;
  }

  /** The leading block of {@code v} with {@code shape}. */
  private static NDArray corner(NDArray v, int[] shape) {
    for (int d = 0; d < shape.length; d++) {
      v = v.slice(d, 0, shape[d]);
    }
    return v;
  }

  /** NaN and infinities replaced by numbers; the gradient passes where the input is finite (PyTorch's rule). */
  static Value nanToNum(Value a, double nan, double posInf, double negInf) {
    return Value.record("nanToNum", a.array().nanToNum(nan, posInf, negInf),
        (g, out) -> grads(g.mul(constant(a.array().isfinite()))), a);
  }

  // ------------------------------------------------------------ linear algebra

  /**
   * For rank ≥ 2: dA = g·Bᵀ, dB = Aᵀ·g (batch axes summed back by the engine). 1-d operands are promoted to
   * matrices with reshape first, so their gradients come from reshape's rule.
   */
  static Value matmul(Value a, Value b) {
    checkArgument(a.rank() >= 1 && b.rank() >= 1, "matmul: both operands need rank >= 1, got shapes %s and %s",
        Shapes.lazyFormat(a.shape()), Shapes.lazyFormat(b.shape()));
    if (a.rank() == 1 || b.rank() == 1) {
      Value r = matmul(a.rank() == 1 ? a.reshape(1, a.size()) : a, b.rank() == 1 ? b.reshape(b.size(), 1) : b);
      int[] s = r.shape();
      int keep = s.length - (a.rank() == 1 ? 1 : 0) - (b.rank() == 1 ? 1 : 0);
      int[] squeezed = Arrays.copyOf(s, keep);
      if (a.rank() == 1 && b.rank() != 1) {
        squeezed[keep - 1] = s[s.length - 1]; // drop the promoted row axis, keep the columns
      }
      return r.reshape(squeezed);
    }
    // a product is the one rule worth skipping for an input without a gradient (a network's input batch): it would
    // cost as much as the forward product
    return Value.record("matmul", a.array().matmul(b.array()), (g, out) -> grads(
        a.requiresGrad() ? g.matmul(b.transpose()) : null, b.requiresGrad() ? a.transpose().matmul(g) : null), a, b);
  }

  /**
   * a·pᵀ for a matrix p, PyTorch's {@code F.linear} without bias: dA = g·p, dP = gᵀ·a. Its own primitive so that a
   * layer's weight gradient comes out contiguous in the weight's layout (not as a transposed view that an optimizer
   * would have to copy); the forward product reads pᵀ through strides, with no copy either.
   */
  static Value matmulTransposed(Value a, Value p) {
    checkArgument(p.rank() == 2, "matmulTransposed: the right operand must be a matrix, got shape %s",
        Shapes.lazyFormat(p.shape()));
    checkArgument(a.rank() >= 1, "matmulTransposed: the left operand needs rank >= 1, got shape %s",
        Shapes.lazyFormat(a.shape()));
    if (a.rank() == 1) {
      return matmulTransposed(a.reshape(1, a.size()), p).reshape(p.shape()[0]);
    }
    checkArgument(a.shape()[a.rank() - 1] == p.shape()[1], "matmulTransposed: inner dimensions differ: %s @ %sᵀ "
        + "(the last axis of the left operand must equal the last axis of the right operand)",
        Shapes.lazyFormat(a.shape()), Shapes.lazyFormat(p.shape()));
    return Value.record("matmulTransposed", a.array().matmul(p.array().transpose()), (g, out) -> grads(
        a.requiresGrad() ? g.matmul(p) : null, p.requiresGrad() ? g.transpose().matmul(a) : null), a, p);
  }

  /**
   * a·pᵀ + bias, PyTorch's {@code F.linear}: {@link #matmulTransposed} whose product starts from the bias (one pass
   * over the output, not a product and an add); dBias = g summed over the leading axes. Without a bias it is
   * {@link #matmulTransposed}.
   */
  static Value linear(Value a, Value p, Value bias) {
    checkNotNull(p, "linear: the weight is null (the bias may be, the weight may not)");
    if (bias == null) {
      return matmulTransposed(a, p);
    }
    checkArgument(p.rank() == 2 && bias.rank() == 1 && bias.size() == p.shape()[0],
        "linear: expected a weight [out, in] and a bias [out], got shapes %s and %s", Shapes.lazyFormat(p.shape()),
        Shapes.lazyFormat(bias.shape()));
    if (a.rank() < 2) {
      return matmulTransposed(a, p).add(bias);
    }
    checkArgument(a.shape()[a.rank() - 1] == p.shape()[1], "linear: inner dimensions differ: %s @ %sᵀ (the last "
        + "axis of the input must equal the last axis of the weight)", Shapes.lazyFormat(a.shape()),
        Shapes.lazyFormat(p.shape()));
    int[] biasShape = bias.shape();
    return Value.record("linear", a.array().linear(p.array(), bias.array()), (g, out) -> grads(
        a.requiresGrad() ? g.matmul(p) : null, p.requiresGrad() ? g.transpose().matmul(a) : null,
        bias.requiresGrad() ? g.sumTo(biasShape) : null), a, p, bias);
  }

  // ------------------------------------------------------------ shape

  static Value reshape(Value a, int[] shape) {
    int[] inShape = a.shape();
    return Value.record("reshape", a.array().reshape(shape), (g, out) -> grads(g.reshape(inShape)), a);
  }

  static Value permute(Value a, int[] order) {
    NDArray result = a.array().permute(order);
    int[] inverse = new int[order.length];
    for (int i = 0; i < order.length; i++) {
      inverse[Shapes.normalizeAxis("permute", order[i], order.length)] = i;
    }
    boolean swapsLastTwo = order.length >= 2 && inverse[order.length - 1] == order.length - 2
        && inverse[order.length - 2] == order.length - 1;
    for (int i = 0; i < order.length - 2; i++) {
      swapsLastTwo &= inverse[i] == i;
    }
    return Value.record(swapsLastTwo ? "transpose" : "permute", result, (g, out) -> grads(g.permute(inverse)), a);
  }

  static Value broadcastTo(Value a, int[] shape) {
    int[] inShape = a.shape();
    return Value.record("broadcastTo", a.array().broadcastTo(shape), (g, out) -> grads(g.sumTo(inShape)), a);
  }

  static Value sumTo(Value a, int[] shape) {
    int[] inShape = a.shape();
    return Value.record("sumTo", a.array().sumTo(shape), (g, out) -> grads(g.broadcastTo(inShape)), a);
  }

  static Value slice(Value a, int axis, int start, int end) {
    NDArray result = a.array().slice(axis, start, end);
    int ax = Shapes.normalizeAxis("slice", axis, a.rank());
    int length = a.shape()[ax];
    int from = start < 0 ? start + length : start;
    int to = from + result.shape()[ax];
    return Value.record("slice", result, (g, out) -> grads(g.pad(ax, from, length - to)), a);
  }

  static Value pad(Value a, int axis, int before, int after) {
    NDArray result = a.array().pad(axis, before, after);
    int ax = Shapes.normalizeAxis("pad", axis, a.rank());
    int length = a.shape()[ax];
    return Value.record("pad", result, (g, out) -> grads(g.slice(ax, before, before + length)), a);
  }

  static Value indexSelect(Value a, int axis, int[] indices) {
    NDArray result = a.array().indexSelect(axis, indices);
    int[] inShape = a.shape();
    int[] idx = indices.clone();
    return Value.record("indexSelect", result,
        (g, out) -> grads(Value.zeros(inShape).indexAdd(axis, idx, g)), a);
  }

  static Value indexAdd(Value target, int axis, int[] indices, Value source) {
    NDArray result = target.array().indexAdd(axis, indices, source.array());
    int[] idx = indices.clone();
    return Value.record("indexAdd", result, (g, out) -> grads(g, g.indexSelect(axis, idx)), target, source);
  }

  static Value concat(int axis, Value[] values) {
    checkArgument(values.length > 0, "concat: need at least one value");
    NDArray[] arrays = new NDArray[values.length];
    for (int i = 0; i < values.length; i++) {
      arrays[i] = values[i].array();
    }
    NDArray result = NDArray.concat(axis, arrays);
    int ax = Shapes.normalizeAxis("concat", axis, result.rank());
    return Value.record("concat", result, (g, out) -> {
      Value[] parts = new Value[values.length];
      int at = 0;
      for (int i = 0; i < values.length; i++) {
        int len = arrays[i].shape()[ax];
        parts[i] = g.slice(ax, at, at + len);
        at += len;
      }
      return parts;
    }, values.clone());
  }

  // ------------------------------------------------------------ composites (no rules of their own)

  /** Running sums along an axis; the gradient of element j is the sum of g over positions ≥ j (a reversed cumsum). */
  static Value cumsum(Value a, int axis) {
    return Value.record("cumsum", a.array().cumsum(axis),
        (g, out) -> grads(a.rank() == 0 ? g : g.flip(axis).cumsum(axis).flip(axis)), a);
  }

  static Value mean(Value a, int[] axes, boolean keepDims) {
    int[] ax = Shapes.normalizeAxes("mean", axes, a.rank());
    long count = 1;
    for (int x : ax) {
      count *= a.shape()[x];
    }
    if (count == 0) { // the mean of nothing is NaN, as in NumPy and PyTorch
      return a.sum(ax, keepDims).mul(Value.scalar(Double.NaN));
    }
    return a.sum(ax, keepDims).mul(1.0 / count);
  }

  /** m + log Σ e^(x − m) with m = max(x) held constant: exact, never overflows, and its gradient is softmax. */
  static Value logSumExp(Value a, int[] axes, boolean keepDims) {
    int[] ax = Shapes.normalizeAxes("logSumExp", axes, a.rank());
    for (int x : ax) {
      if (a.shape()[x] == 0) { // log of an empty sum: −∞, as PyTorch (and softmax over the axis is then empty)
        return a.sum(ax, keepDims).add(Value.scalar(Double.NEGATIVE_INFINITY));
      }
    }
    NDArray m = a.array().max(ax, true);
    NDArray shift = NDArray.where(m.abs().eq(Double.POSITIVE_INFINITY), NDArray.scalar(0.0), m);
    Value shifted = Value.of(shift);
    Value lse = a.sub(shifted).exp().sum(ax, true).log().add(shifted);
    if (keepDims) {
      return lse;
    }
    return lse.reshape(Shapes.reducedShape(a.shape(), ax, false));
  }

  static Value logSoftmax(Value a, int axis) {
    int ax = Shapes.normalizeAxis("logSoftmax", axis, a.rank());
    return a.sub(logSumExp(a, new int[] {ax}, true));
  }

  static Value softmax(Value a, int axis) {
    return logSoftmax(a, Shapes.normalizeAxis("softmax", axis, a.rank())).exp();
  }

  static Value stack(int axis, Value[] values) {
    checkArgument(values.length > 0, "stack: need at least one value");
    int ax = Shapes.normalizeAxis("stack", axis, values[0].rank() + 1);
    Value[] expanded = new Value[values.length];
    for (int i = 0; i < values.length; i++) {
      checkArgument(Arrays.equals(values[i].shape(), values[0].shape()),
          "stack: value %s has shape %s, value 0 has %s", i, Shapes.lazyFormat(values[i].shape()),
          Shapes.lazyFormat(values[0].shape()));
      expanded[i] = values[i].reshape(Shapes.unsqueezed(values[i].shape(), ax));
    }
    return concat(ax, expanded);
  }
}
