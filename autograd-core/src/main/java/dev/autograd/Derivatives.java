package dev.autograd;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.array.NDArray;
import dev.autograd.array.Shapes;
import java.util.Arrays;

/**
 * Every differentiable op in one table: the forward computation on {@link NDArray}s and the backward rule, written in
 * {@link Value} ops (like PyTorch's {@code derivatives.yaml}). Because rules are themselves differentiable, running
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

  static Value add(Value a, Value b) {
    return Value.record("add", a.data().add(b.data()), (g, out) -> grads(g, g), a, b);
  }

  static Value sub(Value a, Value b) {
    return Value.record("sub", a.data().sub(b.data()), (g, out) -> grads(g, g.neg()), a, b);
  }

  static Value mul(Value a, Value b) {
    return Value.record("mul", a.data().mul(b.data()), (g, out) -> grads(g.mul(b), g.mul(a)), a, b);
  }

  /** d(a/b) = g/b, −g·(a/b)/b. */
  static Value div(Value a, Value b) {
    return Value.record("div", a.data().div(b.data()), (g, out) -> grads(g.div(b), g.mul(out).div(b).neg()), a, b);
  }

  static Value neg(Value a) {
    return Value.record("neg", a.data().neg(), (g, out) -> grads(g.neg()), a);
  }

  /** d(x^p) = p·x^(p−1); a zero exponent has no gradient (avoids 0·∞ at x = 0). */
  static Value pow(Value a, double p) {
    return Value.record("pow", a.data().pow(p), (g, out) -> grads(p == 0.0 ? null : g.mul(a.pow(p - 1.0)).mul(p)), a);
  }

  /**
   * d(x^p)/dx = p·x^(p−1), with the exponent replaced by 1 where p = 0 so that gradient is exactly 0;
   * d(x^p)/dp = x^p·log x, with log x taken as 0 where x = 0 (the limit for p &gt; 0).
   */
  static Value pow(Value a, Value p) {
    return Value.record("pow", a.data().pow(p.data()), (g, out) -> {
      NDArray pZero = p.data().eq(0.0);
      Value safeExponent = Value.where(constant(pZero), Value.scalar(1.0), p).sub(1.0);
      Value dBase = g.mul(p).mul(a.pow(safeExponent));
      NDArray aZero = a.data().eq(0.0);
      Value safeLog = Value.where(constant(aZero), Value.scalar(1.0), a).log();
      Value dExponent = g.mul(out).mul(safeLog);
      return grads(dBase, dExponent);
    }, a, p);
  }

  static Value exp(Value a) {
    return Value.record("exp", a.data().exp(), (g, out) -> grads(g.mul(out)), a);
  }

  static Value log(Value a) {
    return Value.record("log", a.data().log(), (g, out) -> grads(g.div(a)), a);
  }

  static Value sqrt(Value a) {
    return Value.record("sqrt", a.data().sqrt(), (g, out) -> grads(g.div(out).mul(0.5)), a);
  }

  /** d|x| = sign(x), so |x|'(0) = 0. */
  static Value abs(Value a) {
    return Value.record("abs", a.data().abs(), (g, out) -> grads(g.mul(constant(a.data().sign()))), a);
  }

  /** tanh' = 1 − tanh². */
  static Value tanh(Value a) {
    return Value.record("tanh", a.data().tanh(), (g, out) -> grads(g.mul(out.mul(out).neg().add(1.0))), a);
  }

  /** σ' = σ(1 − σ). */
  static Value sigmoid(Value a) {
    return Value.record("sigmoid", a.data().sigmoid(), (g, out) -> grads(g.mul(out).mul(out.neg().add(1.0))), a);
  }

  /** relu'(x) = 1 for x &gt; 0, else 0 (including at 0). */
  static Value relu(Value a) {
    return Value.record("relu", a.data().relu(), (g, out) -> grads(g.mul(constant(a.data().gt(0.0)))), a);
  }

  static Value leakyRelu(Value a, double slope) {
    return Value.record("leakyRelu", a.data().leakyRelu(slope), (g, out) -> {
      NDArray positive = a.data().gt(0.0);
      NDArray local = NDArray.where(positive, NDArray.scalar(1.0), NDArray.scalar(slope));
      return grads(g.mul(constant(local)));
    }, a);
  }

  /** softplus' = σ. */
  static Value softplus(Value a) {
    return Value.record("softplus", a.data().softplus(), (g, out) -> grads(g.mul(a.sigmoid())), a);
  }

  static Value maximum(Value a, Value b) {
    return Value.record("maximum", a.data().maximum(b.data()), (g, out) -> tieSplit(g, a.data().gt(b.data()),
        b.data().gt(a.data()), a.data().eq(b.data())), a, b);
  }

  static Value minimum(Value a, Value b) {
    return Value.record("minimum", a.data().minimum(b.data()), (g, out) -> tieSplit(g, a.data().lt(b.data()),
        b.data().lt(a.data()), a.data().eq(b.data())), a, b);
  }

  /** Gradient routing for maximum/minimum: the winner takes g, a tie gives each side g/2. */
  private static Value[] tieSplit(Value g, NDArray aWins, NDArray bWins, NDArray tie) {
    NDArray half = tie.mul(0.5);
    return grads(g.mul(constant(aWins.add(half))), g.mul(constant(bWins.add(half))));
  }

  /** The gradient passes where min ≤ x ≤ max. */
  static Value clamp(Value a, double min, double max) {
    return Value.record("clamp", a.data().clamp(min, max), (g, out) -> {
      NDArray inside = a.data().ge(NDArray.scalar(min)).mul(a.data().le(NDArray.scalar(max)));
      return grads(g.mul(constant(inside)));
    }, a);
  }

  static Value where(NDArray mask, Value a, Value b) {
    NDArray m = mask.eq(0.0).eq(0.0); // normalise any non-zero to 1
    return Value.record("where", NDArray.where(m, a.data(), b.data()),
        (g, out) -> grads(g.mul(constant(m)), g.mul(constant(m.neg().add(1.0)))), a, b);
  }

  // ------------------------------------------------------------ reductions

  static Value sum(Value a, int[] axes, boolean keepDims) {
    int[] inShape = a.shape();
    int[] ax = Shapes.normalizeAxes("sum", axes, inShape.length);
    return Value.record("sum", a.data().sum(ax, keepDims),
        (g, out) -> grads(g.reshape(keptShape(inShape, ax)).broadcastTo(inShape)), a);
  }

  /**
   * max/min: the gradient goes to the elements equal to the result; k tied elements get g/k each.
   */
  static Value max(Value a, int[] axes, boolean keepDims) {
    int[] ax = Shapes.normalizeAxes("max", axes, a.rank());
    return extremum("max", a, ax, keepDims, a.data().max(ax, keepDims));
  }

  static Value min(Value a, int[] axes, boolean keepDims) {
    int[] ax = Shapes.normalizeAxes("min", axes, a.rank());
    return extremum("min", a, ax, keepDims, a.data().min(ax, keepDims));
  }

  private static Value extremum(String op, Value a, int[] ax, boolean keepDims, NDArray result) {
    int[] inShape = a.shape();
    int[] kept = keptShape(inShape, ax);
    return Value.record(op, result, (g, out) -> {
      NDArray hits = a.data().eq(out.data().reshape(kept));
      NDArray share = hits.div(hits.sum(ax, true));
      return grads(g.reshape(kept).mul(constant(share)));
    }, a);
  }

  private static int[] keptShape(int[] shape, int[] sortedAxes) {
    int[] kept = shape.clone();
    for (int a : sortedAxes) {
      kept[a] = 1;
    }
    return kept;
  }

  // ------------------------------------------------------------ linear algebra

  /**
   * For rank ≥ 2: dA = g·Bᵀ, dB = Aᵀ·g (batch axes summed back by the engine). 1-d operands are promoted to
   * matrices with reshape first, so their gradients come from reshape's rule.
   */
  static Value matmul(Value a, Value b) {
    checkArgument(a.rank() >= 1 && b.rank() >= 1, "matmul: both operands need rank >= 1, got shapes %s and %s",
        Shapes.format(a.shape()), Shapes.format(b.shape()));
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
    if (b.rank() == 2 && "transpose".equals(b.op()) && b.parentArray().length == 1) {
      // a·Pᵀ (a Linear layer): differentiate with respect to P itself, so dP = gᵀ·a comes out contiguous in P's
      // layout instead of as a transposed view that an optimizer would have to copy
      Value p = b.parentArray()[0];
      return Value.record("matmul", a.data().matmul(b.data()),
          (g, out) -> grads(g.matmul(p), g.transpose().matmul(a)), a, p);
    }
    return Value.record("matmul", a.data().matmul(b.data()),
        (g, out) -> grads(g.matmul(b.transpose()), a.transpose().matmul(g)), a, b);
  }

  // ------------------------------------------------------------ shape

  static Value reshape(Value a, int[] shape) {
    int[] inShape = a.shape();
    return Value.record("reshape", a.data().reshape(shape), (g, out) -> grads(g.reshape(inShape)), a);
  }

  static Value permute(Value a, int[] order) {
    NDArray result = a.data().permute(order);
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
    return Value.record("broadcastTo", a.data().broadcastTo(shape), (g, out) -> grads(g.sumTo(inShape)), a);
  }

  static Value sumTo(Value a, int[] shape) {
    int[] inShape = a.shape();
    return Value.record("sumTo", a.data().sumTo(shape), (g, out) -> grads(g.broadcastTo(inShape)), a);
  }

  static Value slice(Value a, int axis, int start, int end) {
    NDArray result = a.data().slice(axis, start, end);
    int ax = Shapes.normalizeAxis("slice", axis, a.rank());
    int length = a.shape()[ax];
    int from = start < 0 ? start + length : start;
    int to = from + result.shape()[ax];
    return Value.record("slice", result, (g, out) -> grads(g.pad(ax, from, length - to)), a);
  }

  static Value pad(Value a, int axis, int before, int after) {
    NDArray result = a.data().pad(axis, before, after);
    int ax = Shapes.normalizeAxis("pad", axis, a.rank());
    int length = a.shape()[ax];
    return Value.record("pad", result, (g, out) -> grads(g.slice(ax, before, before + length)), a);
  }

  static Value indexSelect(Value a, int axis, int[] indices) {
    NDArray result = a.data().indexSelect(axis, indices);
    int[] inShape = a.shape();
    int[] idx = indices.clone();
    return Value.record("indexSelect", result,
        (g, out) -> grads(Value.zeros(inShape).indexAdd(axis, idx, g)), a);
  }

  static Value indexAdd(Value target, int axis, int[] indices, Value source) {
    NDArray result = target.data().indexAdd(axis, indices, source.data());
    int[] idx = indices.clone();
    return Value.record("indexAdd", result, (g, out) -> grads(g, g.indexSelect(axis, idx)), target, source);
  }

  static Value concat(int axis, Value[] values) {
    checkArgument(values.length > 0, "concat: need at least one value");
    NDArray[] arrays = new NDArray[values.length];
    for (int i = 0; i < values.length; i++) {
      arrays[i] = values[i].data();
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

  static Value mean(Value a, int[] axes, boolean keepDims) {
    int[] ax = Shapes.normalizeAxes("mean", axes, a.rank());
    int count = 1;
    for (int x : ax) {
      count *= a.shape()[x];
    }
    return a.sum(ax, keepDims).mul(1.0 / count);
  }

  /** m + log Σ e^(x − m) with m = max(x) held constant: exact, never overflows, and its gradient is softmax. */
  static Value logSumExp(Value a, int[] axes, boolean keepDims) {
    int[] ax = Shapes.normalizeAxes("logSumExp", axes, a.rank());
    NDArray m = a.data().max(ax, true);
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
    int rank = values[0].rank();
    int ax = Shapes.normalizeAxis("stack", axis, rank + 1);
    Value[] expanded = new Value[values.length];
    for (int i = 0; i < values.length; i++) {
      checkArgument(Arrays.equals(values[i].shape(), values[0].shape()),
          "stack: value %s has shape %s, value 0 has %s", i, Shapes.format(values[i].shape()),
          Shapes.format(values[0].shape()));
      int[] s = values[i].shape();
      int[] e = new int[rank + 1];
      for (int d = 0, j = 0; d <= rank; d++) {
        e[d] = d == ax ? 1 : s[j++];
      }
      expanded[i] = values[i].reshape(e);
    }
    return concat(ax, expanded);
  }
}
