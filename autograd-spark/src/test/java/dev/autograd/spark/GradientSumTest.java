package dev.autograd.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GradientSumTest {
  /** Partial gradients with wide magnitudes and cancellation, where plain double addition depends on order. */
  private static List<double[]> parts(Random rng, int count, int n) {
    List<double[]> out = new ArrayList<>();
    for (int p = 0; p < count; p++) {
      double[] g = new double[n];
      for (int i = 0; i < n; i++) {
        g[i] = rng.nextGaussian() * Math.pow(10, rng.nextInt(9) - 4) * (i % 5 == 0 ? 1e8 : 1);
      }
      out.add(g);
    }
    return out;
  }

  @Test
  void sumIsTheCorrectlyRoundedSumWhateverTheMergeOrder() {
    Random rng = new Random(1);
    List<double[]> parts = parts(rng, 6, 500);
    double[] exact = new double[500];
    for (int i = 0; i < 500; i++) {
      BigDecimal s = BigDecimal.ZERO;
      for (double[] g : parts) {
        s = s.add(new BigDecimal(g[i]));
      }
      exact[i] = s.round(MathContext.DECIMAL128).doubleValue();
    }
    for (int trial = 0; trial < 20; trial++) {
      List<double[]> order = new ArrayList<>(parts);
      Collections.shuffle(order, rng);
      // a random tree: merge random neighbours until one is left, as treeAggregate and the driver might
      List<GradientSum> nodes = new ArrayList<>();
      for (double[] g : order) {
        nodes.add(GradientSum.of(g.clone(), 1, g[0], 0));
      }
      while (nodes.size() > 1) {
        int i = rng.nextInt(nodes.size() - 1);
        GradientSum left = rng.nextBoolean() ? GradientSum.empty().merge(nodes.get(i)) : nodes.get(i);
        nodes.set(i, left.merge(nodes.remove(i + 1)));
      }
      assertArrayEquals(exact, nodes.get(0).gradient, 0.0);
      assertEquals(6, nodes.get(0).count);
    }
  }

  @Test
  void emptySumsAddNothing() {
    GradientSum s = GradientSum.empty().merge(GradientSum.empty());
    assertEquals(null, s.gradient);
    s.merge(GradientSum.of(new double[] {1, 2}, 3, 4.5, 7));
    s.merge(GradientSum.empty());
    assertArrayEquals(new double[] {1, 2}, s.gradient, 0.0);
    assertEquals(3, s.count);
    assertEquals(4.5, s.loss());
    assertEquals(7, s.maxComputeNanos);
  }
}
