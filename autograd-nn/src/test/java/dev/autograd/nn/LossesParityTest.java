package dev.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.Value;
import dev.autograd.array.NDArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The losses' forward values against PyTorch: every expected number below is a reference from torch 1.13 (float64),
 * computed by hand on the same inputs (torch.nn.functional with the same options); the tests do not call Python.
 */
class LossesParityTest {
  private static final double TOL = 1e-12;
  private static final Reduction[] NMS = {Reduction.NONE, Reduction.MEAN, Reduction.SUM};

  private static final Value X = Value.of(new double[][] {
      {0.2, -1.0, 0.5, 1.1}, {1.5, 0.1, -0.3, 0.0}, {-0.7, 0.4, 2.0, -1.2}});
  private static final Value W = Value.of(0.5, 2.0, 1.0, 3.0);

  private static void assertValues(double[] expected, Value actual) {
    assertArrayEquals(expected, actual.data().toArray(), TOL);
  }

  private static CrossEntropyOptions.Builder ce() {
    return CrossEntropyOptions.builder();
  }

  @Test
  void crossEntropyWithWeightsIgnoreIndexAndSmoothing() {
    int[] labels = {3, -100, 1};
    CrossEntropyOptions.Builder o = ce().weight(W).labelSmoothing(0.1);
    assertValues(new double[] {2.224675819694802, 0.0, 3.7634748574037515},
        Losses.crossEntropy(X, labels, o.reduction(Reduction.NONE).build()));
    // MEAN: both the label term and the smoothing term divided by Σ w_y over kept targets (3 + 2)
    assertValues(new double[] {1.1976301354197108}, Losses.crossEntropy(X, labels, o.reduction(Reduction.MEAN).build()));
    assertValues(new double[] {5.988150677098553}, Losses.crossEntropy(X, labels, o.reduction(Reduction.SUM).build()));
    // the same with the labels as a value
    assertValues(new double[] {1.1976301354197108},
        Losses.crossEntropy(X, Value.of(3, -100, 1), o.reduction(Reduction.MEAN).build()));
  }

  @Test
  void crossEntropyWithWeightsOrAnIgnoredClass() {
    int[] labels = {3, 0, 1};
    assertValues(new double[] {2.19398339181988, 0.2458293569466883, 3.739846988436944},
        Losses.crossEntropy(X, labels, ce().weight(W).reduction(Reduction.NONE).build()));
    assertValues(new double[] {1.1235744976733657}, Losses.crossEntropy(X, labels, ce().weight(W).build()));
    assertValues(new double[] {6.179659737203512},
        Losses.crossEntropy(X, labels, ce().weight(W).reduction(Reduction.SUM).build()));
    assertValues(new double[] {0.7313277972732933, 0.4916587138933766, 0.0},
        Losses.crossEntropy(X, labels, ce().ignoreIndex(1).reduction(Reduction.NONE).build()));
    assertValues(new double[] {0.611493255583335}, Losses.crossEntropy(X, labels, ce().ignoreIndex(1).build()));
    assertValues(new double[] {1.22298651116667},
        Losses.crossEntropy(X, labels, ce().ignoreIndex(1).reduction(Reduction.SUM).build()));
  }

  @Test
  void everyTargetIgnoredGivesNaNMeanAsPyTorch() {
    assertTrue(Double.isNaN(Losses.crossEntropy(X, new int[] {-100, -100, -100}).item()));
    assertEquals(0.0, Losses.crossEntropy(X, new int[] {-100, -100, -100},
        ce().reduction(Reduction.SUM).build()).item());
  }

  @Test
  void maskedLogitsStayFiniteWithWeightsAndIgnoredRows() {
    double inf = Double.POSITIVE_INFINITY;
    Value logits = Value.of(new double[][] {{0, -inf, 1.0}, {-inf, -inf, 2.0}}).requiresGrad(true);
    // row 1 is ignored: its −∞ entries are never read; torch 1.13 gives 0.3133 (= log(1 + e⁻¹)) and grad ±0.2689
    Value loss = Losses.crossEntropy(logits, new int[] {2, -100}, ce().weight(1, 2, 3).build());
    loss.backward();
    assertEquals(Math.log1p(Math.exp(-1)), loss.item(), TOL);
    assertArrayEquals(new double[] {0.2689414213699951, 0, -0.2689414213699951, 0, 0, 0}, logits.grad().toArray(),
        TOL);
  }

  @Test
  void nllWithWeightsAndIgnoreIndex() {
    int[] labels = {3, 0, 1};
    CrossEntropyOptions.Builder o = ce().weight(W).ignoreIndex(0);
    assertValues(new double[] {-3.3, 0.0, -0.8}, Losses.nll(X, labels, o.reduction(Reduction.NONE).build()));
    assertValues(new double[] {-0.82}, Losses.nll(X, labels, o.reduction(Reduction.MEAN).build()));
    assertValues(new double[] {-4.1}, Losses.nll(X, labels, o.reduction(Reduction.SUM).build()));
  }

  @Test
  void crossEntropyWithProbabilityTargets() {
    Value q = Value.of(new double[][] {{0.1, 0.2, 0.3, 0.4}, {1.0, 0, 0, 0}, {0.25, 0.25, 0.25, 0.25}});
    CrossEntropyOptions.Builder o = ce().weight(W).labelSmoothing(0.2);
    assertValues(new double[] {2.4930528978601583, 0.8114525675726981, 3.976125678105017},
        Losses.crossEntropy(X, q, o.reduction(Reduction.NONE).build()));
    assertValues(new double[] {2.426877047845958}, Losses.crossEntropy(X, q, o.reduction(Reduction.MEAN).build()));
    assertValues(new double[] {7.280631143537874}, Losses.crossEntropy(X, q, o.reduction(Reduction.SUM).build()));
    // one-hot probabilities equal class indices (no weights: PyTorch's means then agree too)
    Value oneHot = Value.of(Losses.oneHot(new int[] {3, 0, 1}, 4));
    assertEquals(Losses.crossEntropy(X, new int[] {3, 0, 1}).item(), Losses.crossEntropy(X, oneHot).item(), TOL);
  }

  /** x4 = 2·sin(arange(24)).reshape(2, 3, 2, 2), as in the torch script. */
  private static Value x4() {
    double[] d = new double[24];
    for (int i = 0; i < d.length; i++) {
      d[i] = Math.sin(i) * 2;
    }
    return Value.of(NDArray.fromFlat(d, 2, 3, 2, 2));
  }

  @Test
  void crossEntropyOverSpatialInputs() {
    Value labels = Value.of(NDArray.fromFlat(new double[] {0, 2, 1, -100, 2, 2, 0, 1}, 2, 2, 2));
    CrossEntropyOptions.Builder o = ce().weight(1.0, 2.0, 0.5).labelSmoothing(0.05);
    Value none = Losses.crossEntropy(x4(), labels, o.reduction(Reduction.NONE).build());
    assertArrayEquals(new int[] {2, 2, 2}, none.shape());
    assertValues(new double[] {2.1863410194397614, 0.7336066375248873, 4.8899290768944885, 0.0, 0.20088785709879922,
        0.33638289580295955, 0.28778819936572675, 2.6434099581567456}, none);
    assertValues(new double[] {1.5037794192377825}, Losses.crossEntropy(x4(), labels, o.reduction(Reduction.MEAN).build()));
    assertValues(new double[] {11.278345644283368}, Losses.crossEntropy(x4(), labels, o.reduction(Reduction.SUM).build()));
    // the int[] form takes the labels of [N, d1, d2] flattened row-major
    assertValues(new double[] {1.5037794192377825}, Losses.crossEntropy(x4(), new int[] {0, 2, 1, -100, 2, 2, 0, 1},
        o.reduction(Reduction.MEAN).build()));
  }

  @Test
  void unbatchedCrossEntropy() {
    Value logits = Value.of(0.2, -1.0, 0.5, 1.1);
    Value loss = Losses.crossEntropy(logits, Value.scalar(3), ce().reduction(Reduction.NONE).build());
    assertEquals(0, loss.rank());
    assertEquals(Losses.crossEntropy(X, new int[] {3, 0, 1}, ce().reduction(Reduction.NONE).build()).data().get(0),
        loss.item(), TOL);
  }

  @Test
  void bceWithLogitsWithWeightAndPosWeight() {
    Value z = Value.of(new double[][] {{0.3, -2.0, 4.0}, {-0.5, 1.0, -30.0}});
    Value t = Value.of(new double[][] {{1.0, 0.0, 0.5}, {0.0, 1.0, 1.0}});
    BceOptions.Builder o = BceOptions.builder().weight(Value.of(new double[][] {{1.0}, {0.25}}))
        .posWeight(Value.of(2.0, 0.5, 3.0));
    assertValues(new double[] {1.108710488937054, 0.1269280110429727, 2.0362998558356193, 0.11851924604502667,
        0.03915771093977786, 22.50000000000007}, Losses.bceWithLogits(z, t, o.reduction(Reduction.NONE).build()));
    assertValues(new double[] {4.32160255213342}, Losses.bceWithLogits(z, t, o.reduction(Reduction.MEAN).build()));
    assertValues(new double[] {25.92961531280052}, Losses.bceWithLogits(z, t, o.reduction(Reduction.SUM).build()));
    // stable for huge logits: loss of x = −1000 with target 1 and posWeight 2 is 2·1000
    assertEquals(2000.0, Losses.bceWithLogits(Value.of(-1000.0), Value.of(1.0),
        BceOptions.builder().posWeight(Value.of(2.0)).build()).item(), 1e-9);
    Value p = Value.of(new double[][] {{0.3, 0.9, 0.5}, {0.01, 0.6, 1.0}});
    assertEquals(4.329924067784801, Losses.bce(p, t, BceOptions.builder()
        .weight(Value.of(new double[][] {{1.0}, {0.25}})).reduction(Reduction.SUM).build()).item(), TOL);
  }

  @Test
  void huberAndSmoothL1() {
    Value a = Value.of(0.3, -2.0, 4.0, 0.5, 1.2);
    Value b = Value.of(0.1, 0.5, -1.0, 0.5, 0.0);
    assertValues(new double[] {0.02, 2.0, 4.5, 0.0, 0.7}, Losses.huber(a, b, Reduction.NONE, 1.0));
    assertValues(new double[] {0.02, 1.125, 2.375, 0.0, 0.475}, Losses.huber(a, b, Reduction.NONE, 0.5));
    assertValues(new double[] {0.02, 3.125, 9.375, 0.0, 0.72}, Losses.huber(a, b, Reduction.NONE, 2.5));
    assertValues(new double[] {0.04, 2.25, 4.75, 0.0, 0.95}, Losses.smoothL1(a, b, Reduction.NONE, 0.5));
    assertValues(new double[] {0.008, 1.25, 3.75, 0.0, 0.288}, Losses.smoothL1(a, b, Reduction.NONE, 2.5));
    assertValues(new double[] {0.2, 2.5, 5.0, 0.0, 1.2}, Losses.smoothL1(a, b, Reduction.NONE, 0.0));
    assertEquals((0.02 + 2.0 + 4.5 + 0.7) / 5, Losses.huber(a, b).item(), TOL);
    assertEquals(0.02 + 2.0 + 4.5 + 0.7, Losses.smoothL1(a, b, Reduction.SUM, 1.0).item(), TOL);
  }

  @Test
  void klDivergenceInEveryReduction() {
    Value input = Value.of(new double[][] {{-1.0, -2.0, -0.5}, {-0.3, -1.5, -2.2}});
    Value target = Value.of(new double[][] {{0.0, 0.5, 0.5}, {0.2, 0.3, 0.5}});
    assertValues(new double[] {0.0, 0.6534264097200273, -0.09657359027997264, -0.2618875824868201,
        0.08880815870221914, 0.7534264097200274}, Losses.klDiv(input, target, Reduction.NONE, false));
    assertValues(new double[] {0.1895333008959135}, Losses.klDiv(input, target));
    assertValues(new double[] {1.137199805375481}, Losses.klDiv(input, target, Reduction.SUM, false));
    assertValues(new double[] {0.5685999026877405}, Losses.klDiv(input, target, Reduction.BATCHMEAN, false));
    Value logTarget = Value.of(target.data().clamp(0.1, 1).log());
    assertValues(new double[] {-0.13025850929940458, 0.6534264097200273, -0.09657359027997264, -0.26188758248682004,
        0.08880815870221916, 0.7534264097200274}, Losses.klDiv(input, logTarget, Reduction.NONE, true));
    assertValues(new double[] {0.16782354934601273}, Losses.klDiv(input, logTarget, Reduction.MEAN, true));
    assertValues(new double[] {1.0069412960760764}, Losses.klDiv(input, logTarget, Reduction.SUM, true));
    assertValues(new double[] {0.5034706480380382}, Losses.klDiv(input, logTarget, Reduction.BATCHMEAN, true));
  }

  @Test
  void cosineEmbeddingMarginRankingAndTriplet() {
    Value x1 = Value.of(new double[][] {{1.0, 2.0, 3.0}, {0.5, -1.0, 0.2}, {0.0, 0.0, 0.0}});
    Value x2 = Value.of(new double[][] {{1.0, 0.0, 1.0}, {-0.5, 1.0, 0.1}, {1.0, 1.0, 1.0}});
    Value y = Value.of(1.0, -1.0, -1.0);
    assertValues(new double[] {0.24407105398176154, 0.0, 0.0}, Losses.cosineEmbedding(x1, x2, y, 0.0, Reduction.NONE));
    assertValues(new double[] {0.24407105398176154, 0.0, 0.5}, Losses.cosineEmbedding(x1, x2, y, -0.5, Reduction.NONE));
    assertEquals(0.24407105398176154 / 3, Losses.cosineEmbedding(x1, x2, y).item(), TOL);

    Value r1 = Value.of(0.3, -2.0, 4.0, 0.5);
    Value r2 = Value.of(0.1, 0.5, -1.0, 0.5);
    Value ry = Value.of(1.0, -1.0, -1.0, 1.0);
    assertValues(new double[] {0.0, 0.0, 5.0, 0.0}, Losses.marginRanking(r1, r2, ry, 0.0, Reduction.NONE));
    assertValues(new double[] {0.3, 0.0, 5.5, 0.5}, Losses.marginRanking(r1, r2, ry, 0.5, Reduction.NONE));
    assertValues(new double[] {0.0, 0.0, 4.0, 0.0}, Losses.marginRanking(r1, r2, ry, -1.0, Reduction.NONE));
    assertEquals(5.0 / 4, Losses.marginRanking(r1, r2, ry).item(), TOL);

    Value an = Value.of(new double[][] {{1.0, 2.0, 3.0}, {0.5, -1.0, 0.2}});
    Value po = Value.of(new double[][] {{1.0, 2.5, 2.0}, {0.0, 0.0, 0.0}});
    Value ne = Value.of(new double[][] {{1.1, 2.0, 2.9}, {3.0, -1.0, 0.5}});
    TripletMarginOptions.Builder o = TripletMarginOptions.builder().reduction(Reduction.NONE);
    assertValues(new double[] {1.976613079716826, 0.0}, Losses.tripletMargin(an, po, ne, o.build()));
    assertValues(new double[] {1.8, 0.0}, Losses.tripletMargin(an, po, ne, o.margin(0.5).p(1).build()));
    assertValues(new double[] {1.9140504998860641, 0.0}, Losses.tripletMargin(an, po, ne,
        o.margin(1.0).p(3).swap(true).build()));
    assertValues(new double[] {2.976613079716826, 0.6178468546449474}, Losses.tripletMargin(an, po, ne,
        o.margin(2.0).p(2).swap(true).build()));
    assertEquals(1.976613079716826 / 2, Losses.tripletMargin(an, po, ne).item(), TOL);
  }

  private static void assertRejected(Executable call, String... fragments) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
    }
  }

  @Test
  void rejectionsNameTheProblem() {
    assertRejected(() -> Losses.crossEntropy(X, new int[] {3, 4, 1}), "crossEntropy", "label 4", "[0, 4)");
    assertRejected(() -> Losses.crossEntropy(X, new int[] {3, -1, 1}), "crossEntropy", "label -1", "ignoreIndex");
    assertRejected(() -> Losses.crossEntropy(X, new int[] {3, 0}), "crossEntropy", "3 targets", "2 labels");
    assertRejected(() -> Losses.crossEntropy(X, Value.of(new double[][] {{1, 0}})), "crossEntropy", "[1, 2]");
    assertRejected(() -> Losses.crossEntropy(X, new int[] {3, 0, 1}, ce().weight(1, 2).build()), "weight", "[4]");
    assertRejected(() -> Losses.crossEntropy(X, Value.of(Losses.oneHot(new int[] {3, 0, 1}, 4)),
        ce().ignoreIndex(1).build()), "ignoreIndex", "probability");
    assertRejected(() -> Losses.crossEntropy(Value.scalar(1), new int[] {0}), "crossEntropy", "[N, C]");
    assertRejected(() -> ce().labelSmoothing(1.5), "label smoothing", "1.5");
    assertRejected(() -> Losses.nll(X, new int[] {3, 0, 1}, ce().labelSmoothing(0.1).build()), "nll", "smoothing");
    assertRejected(() -> Losses.mse(X, X, Reduction.BATCHMEAN), "mse", "BATCHMEAN");
    assertRejected(() -> Losses.crossEntropy(X, new int[] {3, 0, 1}, ce().reduction(Reduction.BATCHMEAN).build()),
        "BATCHMEAN");
    assertRejected(() -> Losses.bceWithLogits(X, Value.zeros(3, 4), BceOptions.builder()
        .posWeight(Value.of(1, 2, 3)).build()), "posWeight", "[3]", "[3, 4]");
    assertRejected(() -> Losses.bce(Value.of(0.5), Value.of(1.0), BceOptions.builder().posWeight(Value.of(2.0))
        .build()), "bce", "posWeight");
    assertRejected(() -> Losses.huber(X, X, Reduction.MEAN, 0), "huber", "delta");
    assertRejected(() -> Losses.smoothL1(X, X, Reduction.MEAN, -1), "smoothL1", "beta");
    assertRejected(() -> Losses.klDiv(X, Value.zeros(3)), "klDiv", "[3, 4]", "[3]");
    Value v = Value.of(new double[][] {{1, 2}});
    assertRejected(() -> Losses.cosineEmbedding(v, v, Value.of(1.0, 1.0)), "cosineEmbedding", "[2]", "[1]");
    assertRejected(() -> Losses.cosineEmbedding(v, v, Value.of(2.0)), "cosineEmbedding", "-1 or +1");
    assertRejected(() -> Losses.cosineEmbedding(v, v, Value.of(1.0), 1.5, Reduction.MEAN), "margin", "[-1, 1]");
    assertRejected(() -> Losses.marginRanking(Value.of(1.0), Value.of(2.0), Value.of(0.5)), "marginRanking", "0.5");
    assertRejected(() -> TripletMarginOptions.builder().margin(-1), "tripletMargin", "margin");
    assertRejected(() -> TripletMarginOptions.builder().p(0), "tripletMargin", "p");
    assertRejected(() -> Losses.tripletMargin(v, v, Value.of(1.0, 2.0, 3.0)), "tripletMargin", "[3]");
  }
}
