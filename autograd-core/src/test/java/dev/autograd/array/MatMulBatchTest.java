package dev.autograd.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Batches of small products, which {@link MatMul} may split over threads, equal the products taken one by one. */
class MatMulBatchTest {
  private static final SplittableRandom RNG = new SplittableRandom(21);

  /** Every batch entry of {@code a @ b} (batch axes [p, q], b broadcast over p) against its own 2-d product. */
  private static void assertEachProduct(NDArray a, NDArray b) {
    NDArray product = a.matmul(b);
    int p = a.shape()[0];
    int q = a.shape()[1];
    for (int i = 0; i < p; i++) {
      for (int j = 0; j < q; j++) {
        NDArray expected = a.slice(0, i, i + 1).slice(1, j, j + 1).reshape(a.shape()[2], a.shape()[3])
            .matmul(b.slice(1, j, j + 1).reshape(b.shape()[2], b.shape()[3]));
        NDArray actual = product.slice(0, i, i + 1).slice(1, j, j + 1).reshape(expected.shape());
        assertArrayEquals(expected.toArray(), actual.toArray(), 0.0, "batch entry " + i + ", " + j);
      }
    }
  }

  @Test
  void smallProductsInABatchEqualTheirOwnProducts() {
    // 24 products of 8 × 30 × 40 (well below the split threshold, 230,000 multiply-adds in all)
    assertEachProduct(NDArray.randn(RNG, 6, 4, 8, 30), NDArray.randn(RNG, 1, 4, 30, 40));
  }

  @Test
  void transposedOperandsInABatchEqualTheirOwnProducts() {
    NDArray a = NDArray.randn(RNG, 5, 3, 20, 12).transpose(); // [5, 3, 12, 20], read as transposed
    NDArray b = NDArray.randn(RNG, 1, 3, 40, 20).transpose(); // [1, 3, 20, 40]
    assertEachProduct(a, b);
  }

  @Test
  void largeProductsInABatchEqualTheirOwnProducts() {
    assertEachProduct(NDArray.randn(RNG, 2, 2, 70, 64), NDArray.randn(RNG, 1, 2, 64, 70));
  }
}
