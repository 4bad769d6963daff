package dev.autograd.nn;

import static dev.autograd.nn.Waves.wave;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.GradCheck;
import dev.autograd.Value;
import dev.autograd.array.NDArray;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** BatchNorm's running statistics and modes, LayerNorm and GroupNorm against hand-written references. */
class NormalizationTest {
  private static final GradCheck CHECK = GradCheck.create();

  private static void assertRejects(Executable call, String... fragments) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "'" + f + "' not in: " + e.getMessage());
    }
  }

  /** Per-channel mean and variance (divisor n − correction) of [N, C] by hand. */
  private static double[][] channelStats(double[][] x, int correction) {
    int c = x[0].length;
    double[] mean = new double[c];
    double[] var = new double[c];
    for (int j = 0; j < c; j++) {
      for (double[] row : x) {
        mean[j] += row[j] / x.length;
      }
      for (double[] row : x) {
        var[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / (x.length - correction);
      }
    }
    return new double[][] {mean, var};
  }

  @Test
  void batchNormRunningStatisticsOverThreeStepsThenEval() {
    BatchNorm1d bn = new BatchNorm1d(3);
    bn.weight().setData(NDArray.of(1.5, -0.5, 2.0));
    bn.bias().setData(NDArray.of(0.1, 0.2, -0.3));
    double[] rm = {0, 0, 0};
    double[] rv = {1, 1, 1};
    Value y = null;
    for (int step = 0; step < 3; step++) {
      NDArray x = wave(step, 1 + step, 4, 3);
      y = bn.forward(Value.of(x));
      double[][] biased = channelStats(x.toArray2D(), 0);
      double[][] unbiased = channelStats(x.toArray2D(), 1);
      for (int j = 0; j < 3; j++) {
        rm[j] = 0.9 * rm[j] + 0.1 * biased[0][j];
        rv[j] = 0.9 * rv[j] + 0.1 * unbiased[1][j];
      }
      // training normalises with the biased variance
      double[] row0 = x.toArray2D()[0];
      double expected = (row0[2] - biased[0][2]) / Math.sqrt(biased[1][2] + 1e-5) * 2.0 - 0.3;
      assertEquals(expected, y.data().get(0, 2), 1e-12);
    }
    assertArrayEquals(rm, bn.runningMean().data().toArray(), 1e-14);
    assertArrayEquals(rv, bn.runningVar().data().toArray(), 1e-14);
    assertEquals(3.0, bn.numBatchesTracked().data().item());
    // reference from torch 1.13 for the same three batches
    assertArrayEquals(new double[] {0.10668028031730961, 0.08965922806135923, 0.030470039884068004}, rm, 1e-14);
    assertArrayEquals(new double[] {1.6466273948874859, 1.5360008064558146, 1.4761522102542501}, rv, 1e-14);
    assertArrayEquals(new double[] {1.5080030862312954, -0.05177712204352624, -0.9070051081783155},
        y.data().slice(0, 0, 1).toArray(), 1e-12);

    bn.eval();
    NDArray x = wave(5, 1, 2, 3);
    Value out = bn.forward(Value.of(x));
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        double w = bn.weight().data().get(j);
        double b = bn.bias().data().get(j);
        assertEquals((x.get(i, j) - rm[j]) / Math.sqrt(rv[j] + 1e-5) * w + b, out.data().get(i, j), 1e-13);
      }
    }
    assertArrayEquals(new double[] {-1.1456279378001015, 0.4583370738042297, -0.1583028877857076, 0.8274183100791547,
        -0.16667506951326613, 0.964252521279647}, out.data().toArray(), 1e-12); // torch 1.13
    assertArrayEquals(rm, bn.runningMean().data().toArray(), 0.0, "eval leaves the statistics alone");
    assertEquals(3.0, bn.numBatchesTracked().data().item());
  }

  @Test
  void momentumNullIsACumulativeAverageOverRank3Inputs() {
    BatchNorm1d bn = BatchNorm1d.builder(2).momentum(null).build();
    double[] sumMean = new double[2];
    double[] sumVar = new double[2];
    for (int step = 0; step < 3; step++) {
      NDArray x = wave(step, 1 + step, 2, 2, 3); // [N, C, L]: statistics over N and L
      bn.forward(Value.of(x));
      NDArray perChannel = x.permute(0, 2, 1).reshape(6, 2);
      double[][] unbiased = channelStats(perChannel.toArray2D(), 1);
      for (int j = 0; j < 2; j++) {
        sumMean[j] += unbiased[0][j];
        sumVar[j] += unbiased[1][j];
      }
    }
    assertArrayEquals(new double[] {(0 + sumMean[0]) / 3, sumMean[1] / 3}, bn.runningMean().data().toArray(), 1e-14);
    assertArrayEquals(new double[] {sumVar[0] / 3, sumVar[1] / 3}, bn.runningVar().data().toArray(), 1e-14);
    // reference from torch 1.13 (BatchNorm1d(2, momentum=None))
    assertArrayEquals(new double[] {0.5501782859871956, -0.0007255852297832488}, bn.runningMean().data().toArray(),
        1e-14);
    assertArrayEquals(new double[] {1.725781000508671, 2.6870631254695807}, bn.runningVar().data().toArray(), 1e-14);
  }

  @Test
  void batchNorm2dStatisticsPerChannelOverBatchAndPositions() {
    BatchNorm2d bn = BatchNorm2d.builder(2).momentum(0.3).build();
    for (int step = 0; step < 2; step++) {
      Value y = bn.forward(Value.of(wave(step, 1, 2, 2, 2, 3)));
      // each channel of the output has mean 0 and biased variance 1/(1 + eps/var)
      NDArray perChannel = y.data().permute(1, 0, 2, 3).reshape(2, 12);
      assertArrayEquals(new double[] {0, 0}, perChannel.mean(new int[] {1}, false).toArray(), 1e-14);
    }
    // reference from torch 1.13 (BatchNorm2d(2, momentum=0.3), two batches)
    assertArrayEquals(new double[] {-0.02403860923349229, 0.08962686520331715}, bn.runningMean().data().toArray(),
        1e-14);
    assertArrayEquals(new double[] {0.7468031519499034, 0.7670411700485575}, bn.runningVar().data().toArray(), 1e-14);
  }

  @Test
  void withoutRunningStatsBatchStatisticsAreUsedInEvalToo() {
    BatchNorm1d bn = BatchNorm1d.builder(3).trackRunningStats(false).affine(false).build();
    assertTrue(bn.namedBuffers().isEmpty() && bn.namedParameters().isEmpty());
    assertNull(bn.runningMean());
    NDArray x = wave(1, 2, 5, 3);
    NDArray train = bn.forward(Value.of(x)).data();
    NDArray eval = bn.eval().forward(Value.of(x)).data();
    assertEquals(train, eval);
    assertArrayEquals(new double[] {0, 0, 0}, eval.mean(new int[] {0}, false).toArray(), 1e-14);
  }

  @Test
  void batchNormGradients() {
    BatchNorm1d bn = new BatchNorm1d(3);
    Waves.setWaves(bn, 0.4, 1.0);
    CHECK.verify(xs -> bn.forward(xs[0]), wave(0.1, 2, 4, 3));
    CHECK.verifySecondOrder(xs -> bn.forward(xs[0]), wave(0.1, 2, 4, 3));
    CHECK.verify(xs -> bn.forward(xs[0]), wave(0.2, 1, 2, 3, 2));
    NDArray x2 = wave(0.3, 1, 2, 3, 2, 2);
    BatchNorm2d bn2 = new BatchNorm2d(3);
    Waves.setWaves(bn2, 0.4, 1.0);
    CHECK.verify(xs -> bn2.forward(xs[0]), x2);
    Waves.verifyParameterGradients(bn2, () -> Waves.project(bn2.forward(Value.of(x2))), 1e-6);
    bn.eval();
    CHECK.verify(xs -> bn.forward(xs[0]), wave(0.1, 2, 4, 3));
  }

  @Test
  void batchNormRejections() {
    assertRejects(() -> new BatchNorm1d(3).forward(Value.zeros(2, 3, 4, 5)), "BatchNorm1d", "2D or 3D", "[2, 3, 4, 5]");
    assertRejects(() -> new BatchNorm2d(3).forward(Value.zeros(2, 3, 4)), "BatchNorm2d", "4D");
    assertRejects(() -> new BatchNorm1d(3).forward(Value.zeros(2, 4)), "expected 3 channels", "[2, 4]");
    assertRejects(() -> new BatchNorm1d(3).forward(Value.zeros(1, 3)), "more than 1 value per channel");
    assertRejects(() -> new BatchNorm1d(0), "numFeatures must be positive");
    assertRejects(() -> BatchNorm1d.builder(2).momentum(1.5), "momentum");
    new BatchNorm1d(3).eval().forward(Value.zeros(1, 3)); // one sample is fine with running statistics
  }

  @Test
  void layerNormAgainstAHandWrittenReference() {
    LayerNorm ln = new LayerNorm(2, 3);
    Waves.setWaves(ln, 0.5, 1.0);
    NDArray x = wave(0.2, 3, 4, 2, 3);
    double[] y = ln.forward(Value.of(x)).data().toArray();
    double[] xs = x.toArray();
    double[] w = ln.weight().data().toArray();
    double[] b = ln.bias().data().toArray();
    for (int s = 0; s < 4; s++) {
      double mean = 0;
      for (int i = 0; i < 6; i++) {
        mean += xs[s * 6 + i] / 6;
      }
      double var = 0;
      for (int i = 0; i < 6; i++) {
        var += Math.pow(xs[s * 6 + i] - mean, 2) / 6;
      }
      for (int i = 0; i < 6; i++) {
        assertEquals((xs[s * 6 + i] - mean) / Math.sqrt(var + 1e-5) * w[i] + b[i], y[s * 6 + i], 1e-13);
      }
    }
    CHECK.verify(a -> ln.forward(a[0]), x);
    CHECK.verifySecondOrder(a -> ln.forward(a[0]), wave(0.2, 3, 2, 2, 3));
    Waves.verifyParameterGradients(ln, () -> Waves.project(ln.forward(Value.of(x))), 1e-6);
    LayerNorm plain = new LayerNorm(new int[] {4}, 1e-3, false);
    assertTrue(plain.namedParameters().isEmpty());
    CHECK.verify(a -> plain.forward(a[0]), wave(0.9, 1, 3, 4));
    assertRejects(() -> ln.forward(Value.zeros(4, 3, 2)), "LayerNorm", "[2, 3]", "[4, 3, 2]");
    assertRejects(() -> new LayerNorm(new int[0], 1e-5, true), "non-empty");
  }

  @Test
  void groupNormAgainstAHandWrittenReference() {
    GroupNorm gn = new GroupNorm(2, 4);
    Waves.setWaves(gn, 0.5, 1.0);
    NDArray x = wave(0.1, 2, 3, 4, 5); // [N, C, L]
    double[] y = gn.forward(Value.of(x)).data().toArray();
    double[] xs = x.toArray();
    double[] w = gn.weight().data().toArray();
    double[] b = gn.bias().data().toArray();
    for (int n = 0; n < 3; n++) {
      for (int g = 0; g < 2; g++) {
        int from = n * 20 + g * 10; // channels 2g and 2g+1, 5 positions each
        double mean = 0;
        for (int i = 0; i < 10; i++) {
          mean += xs[from + i] / 10;
        }
        double var = 0;
        for (int i = 0; i < 10; i++) {
          var += Math.pow(xs[from + i] - mean, 2) / 10;
        }
        for (int i = 0; i < 10; i++) {
          int c = 2 * g + i / 5;
          assertEquals((xs[from + i] - mean) / Math.sqrt(var + 1e-5) * w[c] + b[c], y[from + i], 1e-13);
        }
      }
    }
    CHECK.verify(a -> gn.forward(a[0]), x);
    CHECK.verifySecondOrder(a -> gn.forward(a[0]), wave(0.3, 1, 2, 4, 2));
    Waves.verifyParameterGradients(gn, () -> Waves.project(gn.forward(Value.of(x))), 1e-6);
    GroupNorm plain = new GroupNorm(3, 3, 1e-5, false);
    CHECK.verify(a -> plain.forward(a[0]), wave(0.3, 1, 2, 3, 2, 2));
    assertRejects(() -> new GroupNorm(3, 4), "numChannels (4) must be divisible by numGroups (3)");
    assertRejects(() -> new GroupNorm(0, 4), "positive");
    assertRejects(() -> gn.forward(Value.zeros(2, 3, 5)), "GroupNorm", "[N, 4, *]", "[2, 3, 5]");
    assertRejects(() -> gn.forward(Value.zeros(4)), "GroupNorm");
  }

  @Test
  void normLayersListTheirParametersAsPyTorch() {
    assertEquals(List.of("weight", "bias"), List.copyOf(new LayerNorm(3).namedParameters().keySet()));
    assertEquals(List.of("running_mean", "running_var", "num_batches_tracked"),
        List.copyOf(new BatchNorm2d(3).namedBuffers().keySet()));
    assertEquals(0, new BatchNorm2d(3).numBatchesTracked().rank());
  }
}
