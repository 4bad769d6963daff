package dev.autograd.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Float32 batches of small products, which {@link MatMul} splits over threads, equal the products taken one by one,
 * whichever {@link Gemm} computes them: each product may touch only its own part of the shared output buffer (a
 * float32 product that widened and wrote back the whole buffer overwrote its neighbours' results).
 */
class Float32MatMulBatchTest {
  @RepeatedTest(5)
  void smallFloat32ProductsInABatchEqualTheirOwnProducts() {
    SplittableRandom rng = new SplittableRandom(21);
    // 64 products of 16 × 25 × 16, a convolution's per-image shape, over the split threshold in all
    NDArray a = NDArray.randn(rng, DType.FLOAT32, 64, 16, 25);
    NDArray b = NDArray.randn(rng, DType.FLOAT32, 25, 16);
    NDArray product = a.matmul(b);
    assertEquals(DType.FLOAT32, product.dtype());
    for (int i = 0; i < 64; i++) {
      NDArray expected = a.slice(0, i, i + 1).reshape(16, 25).matmul(b);
      NDArray actual = product.slice(0, i, i + 1).reshape(16, 16);
      assertArrayEquals(expected.toArray(), actual.toArray(), 0.0, "batch entry " + i);
    }
  }

  @RepeatedTest(5)
  void everyGemmMultipliesFloat32BatchesByTheirOwnElements() {
    SplittableRandom rng = new SplittableRandom(5);
    NDArray a = NDArray.randn(rng, DType.FLOAT32, 48, 9, 7).transpose(); // [48, 7, 9], read as transposed
    NDArray b = NDArray.randn(rng, DType.FLOAT32, 48, 9, 11);
    NDArray product = a.matmul(b);
    NDArray wide = a.to(DType.FLOAT64).matmul(b.to(DType.FLOAT64));
    assertArrayEquals(wide.toArray(), product.toArray(), 1e-5);
  }
}
