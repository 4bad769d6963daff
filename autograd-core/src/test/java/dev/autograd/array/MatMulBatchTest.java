package dev.autograd.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  /**
   * A product large enough for the blocked path, which accumulates into the new (zeroed) output instead of asking
   * the BLAS to zero it again: NaN, infinities and exact zeros come out as from a sum over the row and column, in
   * both dtypes (the usual entries to within rounding).
   */
  @Test
  void largeProductsKeepNaNInfinityAndZeroAsTheSumDoes() {
    int m = 70;
    int k = 64;
    int n = 66; // 295,680 multiply-adds, above MatMul.SPLIT_BATCH_BELOW
    assertTrue((long) m * n * k >= MatMul.SPLIT_BATCH_BELOW);
    double[] a = NDArray.randn(RNG, m * k).toArray();
    double[] b = NDArray.randn(RNG, k * n).toArray();
    for (int p = 0; p < k; p++) {
      a[p] = -0.0; // row 0 of a: zeros
      a[k + p] = p == 5 ? Double.NaN : a[k + p]; // row 1 meets a NaN
      b[p * n + 3] = p == 7 ? Double.POSITIVE_INFINITY : 1.0; // column 3 meets +inf
    }
    for (DType dtype : DType.values()) {
      NDArray product = NDArray.fromFlat(a, m, k).to(dtype).matmul(NDArray.fromFlat(b, k, n).to(dtype));
      NDArray x = NDArray.fromFlat(a, m, k).to(dtype);
      NDArray y = NDArray.fromFlat(b, k, n).to(dtype);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double sum = 0;
          for (int p = 0; p < k; p++) {
            sum += x.get(i, p) * y.get(p, j);
          }
          double got = product.get(i, j);
          String at = dtype + " (" + i + ", " + j + ")";
          if (Double.isNaN(sum) || Double.isInfinite(sum) || sum == 0) {
            assertEquals(sum, got, 0.0, at); // NaN equals NaN here; ±0 compare equal, as in the BLAS's own fill
          } else {
            assertEquals(sum, got, (dtype == DType.FLOAT32 ? 1e-4 : 1e-12) * (1 + Math.abs(sum)), at);
          }
        }
      }
    }
  }
}
