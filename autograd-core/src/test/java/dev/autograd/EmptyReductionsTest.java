package dev.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.array.NDArray;
import org.junit.jupiter.api.Test;

/** Reductions over zero-length axes behave as in NumPy and PyTorch, with gradients of the right (empty) shape. */
class EmptyReductionsTest {
  @Test
  void meanOfNothingIsNaN() {
    Value x = Value.zeros(3, 0).requiresGrad(true);
    Value m = x.mean(1);
    assertArrayEquals(new double[] {Double.NaN, Double.NaN, Double.NaN}, m.data().toArray(), 0.0);
    assertTrue(Double.isNaN(Value.zeros(0).mean().item()));
    m.sum().backward();
    assertArrayEquals(new int[] {3, 0}, x.grad().shape());
  }

  @Test
  void logSumExpOfNothingIsMinusInfinityAndSoftmaxIsEmpty() {
    Value x = Value.zeros(3, 0).requiresGrad(true);
    assertArrayEquals(new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY},
        x.logSumExp(1).data().toArray(), 0.0);
    Value s = x.softmax(1);
    assertArrayEquals(new int[] {3, 0}, s.shape());
    s.sum().backward();
    assertArrayEquals(new int[] {3, 0}, x.grad().shape());
  }

  @Test
  void maxOfNothingIsAnErrorAsInPyTorch() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Value.zeros(3, 0).max(1));
    assertTrue(e.getMessage().contains("max") && e.getMessage().contains("[3, 0]"), e.getMessage());
    assertEquals(0.0, NDArray.zeros(0).sum().item());
  }
}
