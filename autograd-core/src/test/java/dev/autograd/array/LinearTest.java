package dev.autograd.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link NDArray#linear}: the product starting from the bias equals the product plus the bias, in every shape. */
class LinearTest {
  private static final SplittableRandom RNG = new SplittableRandom(5);

  private static void assertLinear(NDArray x, NDArray w, NDArray b, double tolerance) {
    NDArray fused = x.linear(w, b);
    NDArray plain = b == null ? x.matmul(w.transpose()) : x.matmul(w.transpose()).add(b);
    assertArrayEquals(plain.shape(), fused.shape());
    assertEquals(plain.dtype(), fused.dtype());
    assertArrayEquals(plain.toArray(), fused.toArray(), tolerance);
  }

  @Test
  void equalsTheProductPlusTheBiasInBothDtypes() {
    for (DType dtype : DType.values()) {
      double tolerance = dtype == DType.FLOAT32 ? 1e-4 : 1e-12;
      // small (one kernel call per batch entry) and large (the blocked path), 2-d and batched inputs
      for (int[] s : new int[][] {{5, 3, 2}, {128, 100, 40}, {300, 120, 90}}) {
        NDArray w = NDArray.randn(RNG, dtype, s[2], s[1]);
        NDArray b = NDArray.randn(RNG, dtype, s[2]);
        assertLinear(NDArray.randn(RNG, dtype, s[0], s[1]), w, b, tolerance);
        assertLinear(NDArray.randn(RNG, dtype, 2, s[0], s[1]), w, b, tolerance);
        assertLinear(NDArray.randn(RNG, dtype, s[0], s[1]), w, null, tolerance);
      }
    }
  }

  @Test
  void viewsVectorsAndMixedDtypesTakeTheirUsualMeaning() {
    NDArray w = NDArray.randn(RNG, 4, 3);
    NDArray b = NDArray.randn(RNG, 2, 4).slice(0, 1, 2).reshape(4); // a bias at an offset in its buffer
    assertLinear(NDArray.randn(RNG, 3, 5).transpose(), w, b, 1e-12); // a transposed input
    assertLinear(NDArray.randn(RNG, 3), w, b, 1e-12); // a vector input
    NDArray x32 = NDArray.randn(RNG, DType.FLOAT32, 6, 3);
    NDArray y = x32.linear(w.to(DType.FLOAT32), b); // a float64 bias promotes, as an add does
    assertEquals(DType.FLOAT64, y.dtype());
    assertLinear(x32, w.to(DType.FLOAT32), b, 1e-6);
  }

  @Test
  void nonFiniteBiasAndInputsPropagate() {
    NDArray w = NDArray.ones(3, 2);
    NDArray b = NDArray.of(Double.NaN, Double.POSITIVE_INFINITY, -0.0);
    NDArray y = NDArray.of(new double[][] {{1, -1}, {0, 0}}).linear(w, b);
    assertTrue(Double.isNaN(y.get(0, 0)));
    assertEquals(Double.POSITIVE_INFINITY, y.get(1, 1));
    assertEquals(0.0, y.get(1, 2), 0.0);
  }

  @Test
  void badShapesNameTheOpAndTheShapes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NDArray.ones(2, 3).linear(NDArray.ones(4, 3), NDArray.ones(3)));
    assertTrue(e.getMessage().contains("linear") && e.getMessage().contains("[4, 3]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> NDArray.ones(2, 3).linear(NDArray.ones(4, 2), null));
    assertTrue(e.getMessage().contains("linear") && e.getMessage().contains("[2, 3] @ [4, 2]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> NDArray.ones(2, 3).linear(NDArray.ones(3), null));
    assertTrue(e.getMessage().contains("matrix"), e.getMessage());
    NullPointerException n = assertThrows(NullPointerException.class, () -> NDArray.ones(2, 3).linear(null, null));
    assertTrue(n.getMessage().contains("linear: the weight is null"), n.getMessage());
  }
}
