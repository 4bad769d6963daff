package dev.autograd.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Float32 storage, conversions, PyTorch's promotion rules and the float32 kernels against float64. */
class DTypeTest {
  private static final DType F32 = DType.FLOAT32;
  private static final DType F64 = DType.FLOAT64;
  private final SplittableRandom rng = new SplittableRandom(12);

  private NDArray r32(int... shape) {
    return NDArray.uniform(rng, -2, 2, shape).to(F32);
  }

  @Test
  void float64IsTheDefaultAndCreationFunctionsTakeADtype() {
    assertEquals(F64, NDArray.zeros(2).dtype());
    assertEquals(F64, NDArray.of(1, 2, 3).dtype()); // integer literals must not pick a float overload
    assertEquals(F32, NDArray.zeros(F32, 2, 3).dtype());
    assertEquals(F32, NDArray.ones(F32, 2).dtype());
    assertEquals(F32, NDArray.full(F32, 0.1, 2).dtype());
    assertEquals(0.1f, NDArray.full(F32, 0.1, 2).get(1), 0.0); // stored rounded to float
    assertEquals(F32, NDArray.scalar(1.5, F32).dtype());
    assertEquals(F32, NDArray.of(F32, 1, 2).dtype());
    assertEquals(F32, NDArray.fromFlat(new float[] {1, 2, 3, 4}, 2, 2).dtype());
    assertEquals(F32, NDArray.randn(rng, F32, 3).dtype());
    assertEquals(24, NDArray.zeros(F32, 2, 3).nbytes());
    assertEquals(48, NDArray.zeros(F64, 2, 3).nbytes());
  }

  @Test
  void conversionRoundsToNearestAndWideningIsExact() {
    NDArray x = NDArray.of(0.1, 1.0 / 3, 1e-50, 1e300, -0.0, Double.NaN, Double.NEGATIVE_INFINITY);
    NDArray f = x.to(F32);
    assertEquals(F32, f.dtype());
    float[] expected = {0.1f, 1.0f / 3, 0f, Float.POSITIVE_INFINITY, -0.0f, Float.NaN, Float.NEGATIVE_INFINITY};
    assertArrayEquals(expected, f.toFloatArray());
    NDArray back = f.to(F64);
    for (int i = 0; i < expected.length; i++) {
      assertEquals((double) expected[i], back.get(i), 0.0);
    }
    assertTrue(x.to(F64) == x, "to the same dtype is the array itself");
    // a strided view converts as its elements, not its buffer
    NDArray t = r32(3, 4).transpose();
    assertArrayEquals(t.toArray(), t.to(F64).toArray());
  }

  @Test
  void promotionFollowsPytorch() {
    NDArray a32 = r32(2, 3);
    NDArray b64 = NDArray.ones(2, 3);
    assertEquals(F64, a32.add(b64).dtype(), "float32 with float64 gives float64");
    assertEquals(F64, b64.mul(a32).dtype());
    assertEquals(F32, a32.add(NDArray.scalar(1.0)).dtype(), "a rank-0 float64 does not promote a float32 matrix");
    assertEquals(F64, NDArray.scalar(1.0, F32).add(NDArray.scalar(1.0)).dtype(), "two rank-0 operands promote");
    assertEquals(F32, a32.add(1.0).dtype(), "a Java double never promotes");
    assertEquals(F32, a32.mul(0.5).div(3.0).pow(2.0).clamp(-1, 1).dtype());
    assertEquals(F32, a32.gt(0.0).dtype(), "masks take the operands' dtype, so multiplying by one keeps it");
    assertEquals(F64, a32.matmul(NDArray.ones(3, 2)).dtype());
    assertEquals(F64, NDArray.concat(0, a32, b64).dtype());
    assertEquals(F32, NDArray.concat(0, a32, a32).dtype());
    assertEquals(F32, NDArray.where(b64, a32, a32).dtype(), "the condition's dtype does not matter");
    assertEquals(F64, a32.argmax(1).dtype(), "indices are float64 whatever the input");
    assertEquals(F64, a32.argsort(1, false).dtype());
    assertEquals(DType.FLOAT64, DType.promote(F32, F64));
  }

  @Test
  void float32KernelsAgreeWithFloat64OnTheSameValues() {
    // shapes that take each plan: one row, a bias over a batch, strided views, and a parallel-sized array
    NDArray[][] pairs = {
        {r32(5, 7), r32(5, 7)}, {r32(64, 33), r32(33)}, {r32(33), r32(64, 33)}, {r32(6, 5).transpose(), r32(5, 6)},
        {r32(300, 400), r32(300, 1)}, {r32(4, 1, 3), r32(1, 5, 3)}, {r32(), r32(7)}};
    for (NDArray[] p : pairs) {
      NDArray a = p[0];
      NDArray b = p[1];
      NDArray a64 = a.to(F64);
      NDArray b64 = b.to(F64);
      same(a64.add(b64), a.add(b));
      same(a64.sub(b64), a.sub(b));
      same(a64.mul(b64), a.mul(b));
      same(a64.div(b64), a.div(b));
      same(a64.maximum(b64), a.maximum(b));
      same(a64.abs().pow(b64), a.abs().pow(b));
      same(a64.gt(b64), a.gt(b));
      same(a64.mulPositive(b64), a.mulPositive(b));
      same(a64.map(b64, Math::atan2), a.map(b, Math::atan2));
      for (NDArray x : p) {
        NDArray x64 = x.to(F64);
        same(x64.exp(), x.exp());
        same(x64.tanh(), x.tanh());
        same(x64.sigmoid(), x.sigmoid());
        same(x64.relu(), x.relu());
        same(x64.mul((float) 0.3), x.mul(0.3)); // a constant is rounded to float first, as PyTorch's scalars
        same(x64.add((float) 0.1), x.add(0.1));
        same(x64.neg(), x.neg());
        same(x64.map(Math::sin), x.map(Math::sin));
        same(x64.copy(), x.copy());
      }
    }
  }

  /** float32 result = the float64 result on the same inputs, rounded once. */
  private static void same(NDArray expected64, NDArray actual32) {
    assertEquals(F32, actual32.dtype());
    assertArrayEquals(expected64.shape(), actual32.shape());
    assertArrayEquals(expected64.toFloatArray(), actual32.toFloatArray());
  }

  @Test
  void float32SumsAccumulateInDouble() {
    int n = 1_000_000;
    NDArray x = NDArray.full(F32, 0.1, n);
    double exact = n * (double) 0.1f;
    assertEquals(F32, x.sum().dtype());
    assertEquals((float) exact, x.sum().item(), 0.0, "a float accumulator would be off by about 1%");
    assertEquals((float) (exact / n), x.mean().item(), 0.0);
    NDArray m = NDArray.full(F32, 0.1, 1000, 1000);
    assertEquals((float) (1000 * (double) 0.1f), m.sum(new int[] {0}, false).get(7), 0.0);
    assertEquals((float) (1000 * (double) 0.1f), m.sum(new int[] {1}, false).get(7), 0.0);
    NDArray r = r32(40, 50, 6);
    for (int[] axes : new int[][] {{0}, {1}, {2}, {0, 2}, {0, 1, 2}}) {
      same(r.to(F64).sum(axes, true), r.sum(axes, true));
      same(r.to(F64).max(axes, false), r.max(axes, false));
      same(r.to(F64).prod(axes, false), r.prod(axes, false));
    }
  }

  @Test
  void matmulInFloat32MatchesFloat64Rounded() {
    NDArray a = r32(2, 17, 9);
    NDArray b = r32(9, 5);
    NDArray c = a.matmul(b);
    assertEquals(F32, c.dtype());
    NDArray c64 = a.to(F64).matmul(b.to(F64));
    double[] got = c.toArray();
    double[] want = c64.toArray();
    for (int i = 0; i < got.length; i++) {
      assertEquals(want[i], got[i], 1e-5 * (1 + Math.abs(want[i])));
    }
    assertEquals(F32, a.transpose().matmul(a.slice(0, 0, 1).reshape(17, 9)).dtype());
  }

  @Test
  void shapeAndCopyOpsKeepTheDtype() {
    NDArray x = r32(3, 4);
    for (NDArray y : new NDArray[] {x.reshape(4, 3), x.transpose(), x.slice(1, 1, 3), x.broadcastTo(2, 3, 4),
        x.pad(0, 1, 1), x.indexSelect(1, 0, 0, 3), NDArray.stack(0, x, x), x.cumsum(1), x.gather(0,
        NDArray.zeros(1, 4)), x.scatterAdd(0, NDArray.zeros(1, 4), x.slice(0, 0, 1)), x.contiguous(),
        x.indexAdd(0, new int[] {1}, x.slice(0, 0, 1))}) {
      assertEquals(F32, y.dtype());
    }
    assertArrayEquals(x.transpose().toArray(), x.to(F64).transpose().toArray());
  }

  @Test
  void equalityPrintingAndFinitenessSeeTheDtype() {
    NDArray a = NDArray.of(0.5, 0.25);
    assertNotEquals(a, a.to(F32), "a float32 array never equals a float64 one");
    assertEquals(a.to(F32), NDArray.of(F32, 0.5, 0.25));
    assertEquals(a.to(F32).hashCode(), NDArray.of(F32, 0.5, 0.25).hashCode());
    assertEquals("[0.1, 0.2]", NDArray.of(0.1, 0.2).to(F32).toString(), "floats print as floats");
    assertTrue(r32(100).allFinite());
    assertFalse(NDArray.of(1, Double.NaN).to(F32).allFinite());
    assertFalse(NDArray.of(1, 1e300).to(F32).allFinite(), "1e300 overflows to infinity in float32");
  }

  @Test
  void mutableArraysUpdateInTheirDtype() {
    NDArray p = r32(4, 3);
    MutableArray m = MutableArray.copyOf(p);
    assertEquals(F32, m.dtype());
    NDArray g = r32(4, 3);
    m.scaleAdd(0.9, -0.1, g).addProduct(1.0, 0.5, g, g).addRatio(-0.01, g, g.mul(g), 1.0, 1e-8).scale(2);
    double[] pd = p.toArray();
    double[] gd = g.toArray();
    float[] got = m.snapshot().toFloatArray();
    assertEquals(F32, m.view().dtype());
    for (int i = 0; i < pd.length; i++) { // in float32 arithmetic, as PyTorch's optimizers on float32 parameters
      float p0 = (float) pd[i];
      float g0 = (float) gd[i];
      float v = 0.9f * p0 + -0.1f * g0;
      v = 1.0f * v + 0.5f * g0 * g0;
      float g2 = g0 * g0;
      v += -0.01f * g0 / (1.0f * (float) Math.sqrt(g2) + 1e-8f);
      assertEquals(2 * v, got[i], 0.0);
    }
    m.set(NDArray.ones(4, 3)); // a float64 operand is converted
    assertEquals(F32, m.view().dtype());
    assertEquals(1.0, m.view().get(3, 2), 0.0);
    assertEquals(F32, MutableArray.zeros(F32, 2).view().dtype());
  }

  @Test
  void mulPositiveIsAMultiplicationByTheMask() {
    NDArray g = NDArray.of(2, -3, Double.NaN, 5, -0.0, 7, 1);
    NDArray x = NDArray.of(1, 1, 1, 0, 1, Double.NaN, Double.POSITIVE_INFINITY);
    for (DType dt : DType.values()) {
      NDArray got = g.to(dt).mulPositive(x.to(dt));
      NDArray want = g.to(dt).mul(x.to(dt).gt(0.0));
      assertArrayEquals(want.toArray(), got.toArray()); // NaN, ±0 and all, bit for bit as assertArrayEquals compares
      assertEquals(dt, got.dtype());
    }
    assertArrayEquals(new int[] {2, 3}, NDArray.ones(2, 3).mulPositive(NDArray.of(1, -1, 1)).shape());
    assertEquals(-0.0, NDArray.of(-2.0).mulPositive(NDArray.of(-1.0)).get(0), 0.0);
    assertTrue(Double.doubleToRawLongBits(NDArray.of(-2.0).mulPositive(NDArray.of(-1.0)).get(0)) < 0);
  }
}
