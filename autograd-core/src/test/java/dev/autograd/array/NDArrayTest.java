package dev.autograd.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NDArrayTest {
  private static final SplittableRandom RNG = new SplittableRandom(7);

  @Test
  void creationFactories() {
    assertArrayEquals(new int[0], NDArray.scalar(2).shape());
    assertArrayEquals(new double[] {0, 1, 2, 3}, NDArray.arange(4).toArray());
    assertArrayEquals(new double[] {1, 1.5, 2, 2.5}, NDArray.arange(1, 3, 0.5).toArray());
    assertArrayEquals(new double[] {7, 7, 7, 7, 7, 7}, NDArray.full(7, 2, 3).toArray());
    assertArrayEquals(new double[] {1, 0, 0, 1}, NDArray.eye(2).toArray());
    assertEquals(6.0, NDArray.of(new double[][] {{1, 2, 3}, {4, 5, 6}}).get(1, 2));
    assertEquals(NDArray.randn(new SplittableRandom(3), 4), NDArray.randn(new SplittableRandom(3), 4));
    for (double u : NDArray.uniform(new SplittableRandom(1), -2, 3, 1000).toArray()) {
      assertTrue(u >= -2 && u < 3);
    }
  }

  @Test
  void broadcastingFollowsNumpy() {
    NDArray a = NDArray.arange(6).reshape(2, 3);
    NDArray row = NDArray.of(10, 20, 30);
    NDArray col = NDArray.of(new double[][] {{100}, {200}});
    assertArrayEquals(new double[] {10, 21, 32, 13, 24, 35}, a.add(row).toArray());
    assertArrayEquals(new double[] {100, 101, 102, 203, 204, 205}, a.add(col).toArray());
    assertArrayEquals(new int[] {2, 3}, col.add(row).shape());
    assertArrayEquals(new double[] {2, 3, 4, 5, 6, 7}, a.add(NDArray.scalar(2)).toArray());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(NDArray.of(1, 2)));
    assertTrue(e.getMessage().contains("add") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[2]"),
        e.getMessage());
  }

  @Test
  void trailingAxisBroadcastMatchesExplicitBroadcastOnEitherSide() {
    NDArray batch = random(4, 2, 3);
    for (NDArray inner : new NDArray[] {random(3), random(2, 3)}) {
      NDArray expanded = inner.broadcastTo(4, 2, 3).copy();
      assertArrayEquals(batch.sub(expanded).toArray(), batch.sub(inner).toArray(), 0.0);
      assertArrayEquals(expanded.div(batch).toArray(), inner.div(batch).toArray(), 0.0);
      assertArrayEquals(new int[] {4, 2, 3}, inner.div(batch).shape());
    }
  }

  @Test
  void elementwiseOnStridedViewsMatchesContiguous() {
    NDArray a = random(4, 5);
    NDArray t = a.transpose();
    assertFalse(t.isContiguous());
    assertEquals(t.copy().exp(), t.exp());
    assertEquals(t.copy().mul(t.copy()), t.mul(t));
    assertEquals(a.slice(1, 1, 4).copy().add(1), a.slice(1, 1, 4).add(1));
  }

  @Test
  void largeOpsGiveTheSameResultAsSmallOnes() {
    NDArray big = random(300, 400); // above the parallel threshold
    NDArray bias = random(400);
    double[] expected = new double[big.size()];
    double[] b = big.toArray();
    double[] c = bias.toArray();
    for (int i = 0; i < expected.length; i++) {
      expected[i] = Math.tanh(b[i] + c[i % 400]);
    }
    assertArrayEquals(expected, big.add(bias).tanh().toArray(), 0);
  }

  @Test
  void reductionsOverAnyAxes() {
    NDArray x = NDArray.arange(24).reshape(2, 3, 4);
    assertEquals(276.0, x.sum().item());
    assertArrayEquals(new int[] {2, 1, 4}, x.sum(new int[] {1}, true).shape());
    assertArrayEquals(naiveSum(x, new boolean[] {true, false, true}), x.sum(new int[] {0, 2}, false).toArray());
    assertArrayEquals(naiveSum(x, new boolean[] {false, true, false}), x.sum(new int[] {-2}, false).toArray());
    assertArrayEquals(naiveSum(x.transpose(0, 2), new boolean[] {true, false, false}),
        x.transpose(0, 2).sum(new int[] {0}, false).toArray());
    assertArrayEquals(new double[] {3, 7, 11, 15, 19, 23}, x.max(new int[] {2}, false).toArray());
    assertArrayEquals(new double[] {0, 1, 2, 3}, x.min(new int[] {0, 1}, false).toArray());
    assertArrayEquals(new double[] {5.5, 17.5}, x.mean(new int[] {1, 2}, false).toArray());
    assertArrayEquals(new double[] {2, 0}, NDArray.of(new double[][] {{1, 2, 9}, {8, 3, 8}}).argmax(1).toArray());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.sum(new int[] {3}, false));
    assertTrue(e.getMessage().contains("axis 3") && e.getMessage().contains("rank 3"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> x.sum(new int[] {1, -2}, false));
    assertThrows(IllegalArgumentException.class, () -> NDArray.zeros(0, 2).max(new int[] {0}, false));
  }

  private static double[] naiveSum(NDArray x, boolean[] reduce) {
    int[] s = x.shape();
    int[] os = new int[s.length];
    for (int d = 0; d < s.length; d++) {
      os[d] = reduce[d] ? 1 : s[d];
    }
    double[] out = new double[Shapes.size(os)];
    int[] idx = new int[s.length];
    for (int flat = 0; flat < x.size(); flat++) {
      int rem = flat;
      for (int d = s.length - 1; d >= 0; d--) {
        idx[d] = rem % s[d];
        rem /= s[d];
      }
      int o = 0;
      for (int d = 0; d < s.length; d++) {
        o = o * os[d] + (reduce[d] ? 0 : idx[d]);
      }
      out[o] += x.get(idx);
    }
    return out;
  }

  @Test
  void shapeViews() {
    NDArray x = NDArray.arange(6).reshape(2, 3);
    assertArrayEquals(new double[] {0, 3, 1, 4, 2, 5}, x.transpose().toArray());
    assertArrayEquals(new int[] {3, 2}, x.reshape(-1, 2).shape());
    assertArrayEquals(new double[] {1, 2, 4, 5}, x.slice(1, 1, 3).toArray());
    assertArrayEquals(new double[] {3, 4, 5}, x.slice(0, -1, 2).toArray());
    assertArrayEquals(new double[] {0, 1, 2, 0, 1, 2}, NDArray.of(0, 1, 2).broadcastTo(2, 3).toArray());
    assertArrayEquals(new double[] {3, 5, 7}, x.sumTo(3).toArray());
    assertArrayEquals(new double[] {3, 12}, x.sumTo(2, 1).toArray());
    assertArrayEquals(new double[] {0, 0, 1, 2, 0, 0, 3, 4, 5, 0}, x.pad(1, 1, 1).toArray());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.reshape(4, 2));
    assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 2]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> x.slice(1, 2, 5));
    assertThrows(IllegalArgumentException.class, () -> x.broadcastTo(3, 3));
    assertThrows(IllegalArgumentException.class, () -> x.permute(0, 0));
  }

  @Test
  void gatherScatterConcatStack() {
    NDArray x = NDArray.arange(6).reshape(3, 2);
    assertArrayEquals(new double[] {4, 5, 0, 1, 4, 5}, x.indexSelect(0, 2, 0, 2).toArray());
    assertArrayEquals(new double[] {1, 1, 1}, x.indexSelect(1, 1).sub(x.indexSelect(1, 0)).toArray());
    NDArray scattered = NDArray.zeros(3, 2).indexAdd(0, new int[] {2, 0, 2}, NDArray.ones(3, 2));
    assertArrayEquals(new double[] {1, 1, 0, 0, 2, 2}, scattered.toArray());
    assertArrayEquals(new int[] {3, 4}, NDArray.concat(1, x, x).shape());
    assertArrayEquals(new double[] {0, 1, 0, 1, 2, 3, 2, 3, 4, 5, 4, 5}, NDArray.concat(1, x, x).toArray());
    assertArrayEquals(new int[] {3, 2, 2}, NDArray.stack(2, x, x).shape());
    assertArrayEquals(new int[] {2, 3, 2}, NDArray.stack(0, x, x).shape());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.indexSelect(0, 3));
    assertTrue(e.getMessage().contains("index 3") && e.getMessage().contains("length 3"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> NDArray.concat(0, x, NDArray.zeros(3, 3)));
  }

  @Test
  void matmulMatchesNaiveForAllLayouts() {
    int[][] dims = {{1, 1, 1}, {3, 4, 5}, {17, 33, 9}, {64, 70, 130}, {5, 1, 7}};
    for (int[] d : dims) {
      NDArray a = random(d[0], d[1]);
      NDArray b = random(d[1], d[2]);
      double[] expected = naiveMatmul(a, b);
      assertArrayEquals(expected, a.matmul(b).toArray(), 1e-10);
      // transposed views reach the kernel as flags, not copies
      NDArray at = random(d[1], d[0]).transpose();
      NDArray bt = random(d[2], d[1]).transpose();
      assertArrayEquals(naiveMatmul(at, bt), at.matmul(bt).toArray(), 1e-10);
      assertArrayEquals(naiveMatmul(a, bt), a.matmul(bt).toArray(), 1e-10);
    }
  }

  @Test
  void largeMatmulIsExactAgainstNaive() {
    NDArray a = random(200, 300);
    NDArray b = random(300, 150);
    assertArrayEquals(naiveMatmul(a, b), a.matmul(b).toArray(), 1e-9);
  }

  @Test
  void batchedAndVectorMatmul() {
    NDArray a = random(2, 3, 4, 5);
    NDArray b = random(3, 5, 2); // broadcast over the leading batch axis
    NDArray c = a.matmul(b);
    assertArrayEquals(new int[] {2, 3, 4, 2}, c.shape());
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        NDArray ai = a.slice(0, i, i + 1).slice(1, j, j + 1).reshape(4, 5);
        NDArray bj = b.slice(0, j, j + 1).reshape(5, 2);
        assertArrayEquals(naiveMatmul(ai, bj), c.slice(0, i, i + 1).slice(1, j, j + 1).toArray(), 1e-12);
      }
    }
    NDArray m = random(3, 4);
    NDArray v = random(4);
    assertArrayEquals(new int[] {3}, m.matmul(v).shape());
    assertArrayEquals(new int[] {4}, random(3).matmul(m).shape());
    assertArrayEquals(new int[0], v.matmul(v).shape());
    assertEquals(naiveMatmul(v.reshape(1, 4), v.reshape(4, 1))[0], v.matmul(v).item(), 1e-12);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.matmul(random(3, 4)));
    assertTrue(e.getMessage().contains("matmul") && e.getMessage().contains("[3, 4] @ [3, 4]"), e.getMessage());
  }

  @Test
  void stableActivationsAtExtremes() {
    NDArray x = NDArray.of(-1000, -30, 0, 30, 1000);
    assertArrayEquals(new double[] {0, 9.357622968839299E-14, 0.5, 1 - 9.357622968839299E-14, 1},
        x.sigmoid().toArray(), 1e-15);
    assertArrayEquals(new double[] {0, 9.357622968840175E-14, Math.log(2), 30 + 9.357622968840175E-14, 1000},
        x.softplus().toArray(), 1e-15);
    assertTrue(x.sigmoid().allFinite() && x.softplus().allFinite());
  }

  @Test
  void userErrorsNameTheOperation() {
    assertMessage(() -> NDArray.fromFlat(new double[5], 2, 3), "fromFlat", "[2, 3]");
    assertMessage(() -> NDArray.zeros(2, -1), "zeros", "[2, -1]");
    assertMessage(() -> NDArray.of(1, 2).item(), "item", "[2]");
    assertMessage(() -> NDArray.of(1, 2).clamp(2, 1), "clamp", "[2.0, 1.0]");
    assertMessage(() -> NDArray.of(new double[][] {{1, 2}, {3}}), "row 1", "expected 2");
  }

  private static void assertMessage(Runnable r, String... fragments) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), () -> "'" + f + "' not in: " + e.getMessage());
    }
  }

  static NDArray random(int... shape) {
    return NDArray.uniform(RNG, -1, 1, shape);
  }

  static double[] naiveMatmul(NDArray a, NDArray b) {
    int m = a.shape()[0];
    int k = a.shape()[1];
    int n = b.shape()[1];
    double[] c = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          s += a.get(i, p) * b.get(p, j);
        }
        c[i * n + j] = s;
      }
    }
    return c;
  }

  @Test
  void allFiniteFindsEveryKindOfNonFiniteAnywhere() {
    double[] edge = {Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, -0.0, 0.0, 1e-310, -1e308};
    assertTrue(NDArray.of(edge).allFinite());
    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.longBitsToDouble(0x7FF0_0000_0000_0001L), Double.longBitsToDouble(0xFFF8_0000_0000_0000L)}) {
      for (int n : new int[] {1, 7, 300_000}) { // 300,000 elements take the parallel path
        for (int at : new int[] {0, n / 2, n - 1}) {
          double[] d = new double[n];
          java.util.Arrays.fill(d, Double.MAX_VALUE);
          d[at] = bad;
          assertFalse(NDArray.of(d).allFinite(), bad + " at " + at + " of " + n);
          assertTrue(NDArray.of(d).slice(0, at + 1, n).allFinite() || at == n - 1, "the rest is finite");
        }
      }
    }
    assertFalse(NDArray.of(new double[][] {{1, 2}, {Double.NaN, 3}}).transpose().allFinite(), "strided views too");
  }
}
