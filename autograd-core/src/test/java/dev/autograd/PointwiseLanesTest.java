package dev.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.array.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every pointwise op is spelled twice (see {@link PointwiseOp}): on arrays and, for rank-0 operands, on plain doubles.
 * Here both spellings must give the same forward value, first derivative and second derivative bit for bit
 * (including the sign of zero and NaN), at ordinary and edge points. Rank-0 values take the scalar lane; the same
 * numbers in a one-element array take the array lane.
 */
class PointwiseLanesTest {
  private static final double[] POINTS = {0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0, 1e-8, 40.0, -40.0, 1e10, -1e10,
      710.0, Double.NaN};
  /** An upstream gradient other than 1, so that every rule's use of g is exercised. */
  private static final double SEED = -1.3;

  /**
   * Every unary row and family member of {@link PointwiseOps}, read from the table itself (a new row is tested without
   * being listed here), plus the public spellings that reach binary rows through a constant.
   */
  static Stream<Arguments> unaryOps() {
    List<Arguments> ops = new ArrayList<>();
    for (PointwiseOp op : PointwiseOps.TABLE) {
      if (op.isUnary()) {
        ops.add(Arguments.of(op.name, (UnaryOperator<Value>) op::of));
      }
    }
    for (PointwiseOps.Family family : PointwiseOps.FAMILIES) {
      for (double[] constants : family.samples()) {
        PointwiseOp op = family.make().apply(constants);
        ops.add(Arguments.of(family.name() + Arrays.toString(constants), (UnaryOperator<Value>) op::of));
      }
    }
    ops.add(Arguments.of("add constant", (UnaryOperator<Value>) x -> x.add(2.5)));
    ops.add(Arguments.of("div constant", (UnaryOperator<Value>) x -> x.div(-3.0)));
    return ops.stream();
  }

  /** Every binary row of {@link PointwiseOps}. */
  static Stream<Arguments> binaryOps() {
    return PointwiseOps.TABLE.stream().filter(op -> !op.isUnary())
        .map(op -> Arguments.of(op.name, (BinaryOperator<Value>) op::of));
  }

  @Test
  void theTableRunsEveryRowAndFamily() {
    assertTrue(unaryOps().count() + binaryOps().count() >= PointwiseOps.TABLE.size() + PointwiseOps.FAMILIES.size());
    assertTrue(binaryOps().count() > 0 && PointwiseOps.TABLE.stream().anyMatch(PointwiseOp::isUnary));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unaryOps")
  void unaryOpsAgreeInBothLanes(String name, UnaryOperator<Value> op) {
    for (double x : POINTS) {
      String at = name + " at " + x;
      assertLanesAgree(at, xs -> op.apply(xs[0]), x);
      assertSecondOrderAgrees(at, xs -> op.apply(xs[0]), x);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("binaryOps")
  void binaryOpsAgreeInBothLanes(String name, BinaryOperator<Value> op) {
    for (double x : POINTS) {
      for (double y : POINTS) {
        String at = name + " at (" + x + ", " + y + ")";
        assertLanesAgree(at, xs -> op.apply(xs[0], xs[1]), x, y);
        assertSecondOrderAgrees(at, xs -> op.apply(xs[0], xs[1]), x, y);
      }
      assertLanesAgree(name + " of " + x + " with itself", xs -> op.apply(xs[0], xs[0]), x);
    }
  }

  @Test
  void scalarLaneValuesBehaveLikeRankZeroArrays() {
    Value s = Value.scalar(2.0).requiresGrad(true);
    Value y = s.mul(s).add(1.0);
    assertEquals(0, y.rank());
    assertEquals(1, y.size());
    assertEquals(0, y.shape().length);
    assertEquals(5.0, y.item());
    assertEquals(5.0, y.data().item());
    assertTrue(y.data() == y.data(), "the array of a scalar-lane value is made once");
    y.retainGrad();
    y.backward();
    assertEquals(1.0, y.grad().item());
    assertEquals(4.0, s.grad().item());
  }

  @Test
  void scalarLaneFeedsArrayOpsAndBack() {
    Value s = Value.scalar(3.0).requiresGrad(true);
    Value v = Value.of(1.0, 2.0).requiresGrad(true);
    Value loss = v.mul(s).sum().mul(s); // (Σ v·s)·s: rank-0 array result times a scalar-lane value
    loss.backward();
    assertEquals(2 * 3.0 * 3.0, s.grad().item());
    assertEquals(9.0, v.grad().toArray()[1]);
    assertNull(Value.scalar(1.0).grad());
  }

  @Test
  void autogradGradWithRespectToAnIntermediateScalarSeesItsWholeGradient() {
    Value x = Value.scalar(3.0).requiresGrad(true);
    Value mid = x.mul(x);                   // 9
    Value y = mid.mul(2.0).add(mid.tanh()); // two consumers of mid
    List<Value> g = Autograd.grad(y, List.of(mid, x));
    double dMid = 2.0 + (1.0 - Math.tanh(9.0) * Math.tanh(9.0));
    assertEquals(dMid, g.get(0).item(), 1e-15);
    assertEquals(dMid * 6.0, g.get(1).item(), 1e-13);
    assertNull(x.grad(), "Autograd.grad leaves grad() alone");
  }

  @Test
  void retainedScalarGraphsGiveTheSameGradientTwice() {
    Value x = Value.scalar(0.7).requiresGrad(true);
    Value y = x.mul(x).sigmoid().add(x.relu());
    y.backward(NDArray.scalar(1.0), true);
    double first = x.grad().item();
    y.backward(NDArray.scalar(1.0), false);
    assertEquals(2 * first, x.grad().item(), 0.0);
    assertThrows(IllegalStateException.class, y::backward, "the second pass released the graph");
  }

  /** Forward value and gradients of f, with rank-0 inputs and with shape-[1] inputs, must be identical. */
  private static void assertLanesAgree(String at, ValueFunction f, double... xs) {
    double[] scalar = valueAndGradients(f, true, xs);
    double[] array = valueAndGradients(f, false, xs);
    for (int i = 0; i < scalar.length; i++) {
      assertEquals(Double.valueOf(array[i]), Double.valueOf(scalar[i]),
          at + (i == 0 ? ": forward" : ": gradient of input " + (i - 1)));
    }
  }

  private static double[] valueAndGradients(ValueFunction f, boolean scalarLane, double... xs) {
    Value[] inputs = new Value[xs.length];
    for (int i = 0; i < xs.length; i++) {
      inputs[i] = (scalarLane ? Value.scalar(xs[i]) : Value.of(NDArray.of(xs[i]))).requiresGrad(true);
    }
    Value out = f.apply(inputs);
    out.mul(SEED).backward();
    double[] result = new double[xs.length + 1];
    result[0] = out.item();
    for (int i = 0; i < xs.length; i++) {
      result[i + 1] = inputs[i].grad().item();
    }
    return result;
  }

  /** d²f/dx0² through Autograd.grad(createGraph) must also agree between lanes. */
  private static void assertSecondOrderAgrees(String at, ValueFunction f, double... xs) {
    assertEquals(Double.valueOf(secondDerivative(f, false, xs)), Double.valueOf(secondDerivative(f, true, xs)),
        at + ": second derivative");
  }

  private static double secondDerivative(ValueFunction f, boolean scalarLane, double... xs) {
    Value[] inputs = new Value[xs.length];
    for (int i = 0; i < xs.length; i++) {
      inputs[i] = (scalarLane ? Value.scalar(xs[i]) : Value.of(NDArray.of(xs[i]))).requiresGrad(true);
    }
    Value dx = Autograd.grad(f.apply(inputs).mul(SEED), inputs[0], true, true);
    if (!dx.requiresGrad()) {
      return 0.0; // the first derivative does not depend on the inputs
    }
    return Autograd.grad(dx, inputs[0]).item();
  }
}
