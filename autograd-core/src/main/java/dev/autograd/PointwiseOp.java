package dev.autograd;

import dev.autograd.array.DType;
import dev.autograd.array.NDArray;
import dev.autograd.array.Shapes;
import java.util.function.BinaryOperator;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;

/**
 * An elementwise op with one or two inputs, declared once with everything the engine needs: the forward kernel on
 * arrays and on plain doubles, and for each input its backward rule in differentiable {@link Value} ops and the same
 * rule spelled on plain doubles.
 *
 * <p>Rank-0 operands take the double spellings (the <em>scalar lane</em>): the forward result is kept as a
 * {@code double}, and a first-order backward pass runs micrograd's loop, {@code input.grad += rule(g, ...)}, without
 * allocating anything. That is what makes graphs of many thousands of scalar nodes fast. Everything else, including
 * higher-order backward passes through scalars, uses the Value rules. {@code PointwiseLanesTest} runs every row of
 * {@link PointwiseOps} and checks that the two spellings agree bit for bit, so the lane is an optimisation and never
 * a second definition.
 *
 * <p>A rule is applied to the incoming gradient {@code g}, the op's result {@code out} and the inputs; in the double
 * spelling {@code x} and {@code y} are the inputs' values. A Value rule may return {@code null} for "no
 * contribution"; such an op has no double spelling.
 */
final class PointwiseOp implements BackwardRule {
  /** Gradient for one input of a binary op, in Value ops. */
  @FunctionalInterface
  interface Grad {
    Value of(Value g, Value out, Value a, Value b);
  }

  /** The same rule on plain doubles. */
  @FunctionalInterface
  interface ScalarGrad {
    double of(double g, double out, double x, double y);
  }

  /** Gradient of a unary op, in Value ops. */
  @FunctionalInterface
  interface UnaryGrad {
    Value of(Value g, Value out, Value a);
  }

  /** The same rule on plain doubles. */
  @FunctionalInterface
  interface UnaryScalarGrad {
    double of(double g, double out, double x);
  }

  final String name;
  private final BinaryOperator<NDArray> forward;
  private final Grad[] grads;
  // The double spellings, kept unwrapped because the scalar lane calls them for every node: a unary op has the
  // unary fields, a binary op the others; the gradient ones are null for an op without a double spelling.
  private final DoubleUnaryOperator unaryScalarForward;
  private final DoubleBinaryOperator binaryScalarForward;
  private final UnaryScalarGrad unaryScalarGrad;
  private final ScalarGrad[] binaryScalarGrads;

  private PointwiseOp(String name, BinaryOperator<NDArray> forward, Grad[] grads,
      DoubleUnaryOperator unaryScalarForward, DoubleBinaryOperator binaryScalarForward,
      UnaryScalarGrad unaryScalarGrad, ScalarGrad[] binaryScalarGrads) {
    this.name = name;
    this.forward = forward;
    this.grads = grads;
    this.unaryScalarForward = unaryScalarForward;
    this.binaryScalarForward = binaryScalarForward;
    this.unaryScalarGrad = unaryScalarGrad;
    this.binaryScalarGrads = binaryScalarGrads;
  }

  static PointwiseOp unary(String name, UnaryOperator<NDArray> forward, DoubleUnaryOperator scalarForward,
      UnaryGrad grad, UnaryScalarGrad scalarGrad) {
    return new PointwiseOp(name, (a, unused) -> forward.apply(a),
        new Grad[] {(g, out, a, unused) -> grad.of(g, out, a)}, scalarForward, null, scalarGrad, null);
  }

  static PointwiseOp binary(String name, BinaryOperator<NDArray> forward, DoubleBinaryOperator scalarForward,
      Grad gradA, ScalarGrad scalarGradA, Grad gradB, ScalarGrad scalarGradB) {
    return new PointwiseOp(name, forward, new Grad[] {gradA, gradB}, null, scalarForward, null,
        new ScalarGrad[] {scalarGradA, scalarGradB});
  }

  /**
   * A unary op defined by its scalar function alone: the array kernel maps {@code f} over the elements (see
   * {@link NDArray#map(DoubleUnaryOperator)}), so the row holds the op's only definition of its forward.
   */
  static PointwiseOp mapped(String name, DoubleUnaryOperator f, UnaryGrad grad, UnaryScalarGrad scalarGrad) {
    return unary(name, a -> a.map(f), f, grad, scalarGrad);
  }

  /** A binary op defined by its scalar function alone (see the unary {@code mapped}). */
  static PointwiseOp mapped(String name, DoubleBinaryOperator f, Grad gradA, ScalarGrad scalarGradA, Grad gradB,
      ScalarGrad scalarGradB) {
    return binary(name, (a, b) -> {
      Shapes.broadcast(name, a.shape(), b.shape()); // a mismatch is reported under the op's name
      return a.map(b, f);
    }, f, gradA, scalarGradA, gradB, scalarGradB);
  }

  /** Applies a unary op. */
  Value of(Value a) {
    return of(a, null);
  }

  /** Applies the op; {@code b} is ignored by unary ops. */
  Value of(Value a, Value b) {
    boolean unary = grads.length == 1;
    if (a.rank() == 0 && (unary || b.rank() == 0) && a.dtype() == DType.FLOAT64
        && (unary || b.dtype() == DType.FLOAT64)) { // the scalar lane computes in doubles
      double result = unary ? unaryScalarForward.applyAsDouble(a.scalar())
          : binaryScalarForward.applyAsDouble(a.scalar(), b.scalar());
      return Value.recordScalar(this, result, a, unary ? null : b);
    }
    return unary ? Value.record(name, forward.apply(a.array(), null), this, a)
        : Value.record(name, forward.apply(a.array(), b.array()), this, a, b);
  }

  @Override
  public Value[] apply(Value g, Value out) {
    Value a = out.parent(0);
    Value b = grads.length > 1 ? out.parent(1) : null;
    Value[] result = new Value[grads.length];
    for (int i = 0; i < result.length; i++) {
      result[i] = out.parent(i).requiresGrad() ? grads[i].of(g, out, a, b) : null; // constants need no gradient
    }
    return result;
  }

  /** One input (else two). */
  boolean isUnary() {
    return grads.length == 1;
  }

  /** Whether first-order backward may use the double spelling. */
  boolean hasScalarGrads() {
    return unaryScalarGrad != null || binaryScalarGrads != null;
  }

  /** The double spelling of input {@code input}'s rule. */
  double scalarGrad(int input, double g, double out, double x, double y) {
    return unaryScalarGrad != null ? unaryScalarGrad.of(g, out, x) : binaryScalarGrads[input].of(g, out, x, y);
  }
}
