package dev.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.GradCheck;
import dev.autograd.Value;
import dev.autograd.array.NDArray;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every loss's gradient against finite differences, first order everywhere and second order where the loss is
 * smooth, in each reduction, with respect to every differentiable input (weights and targets included).
 */
class LossesGradCheckTest {
  private static final GradCheck CHECK = GradCheck.create();
  private static final SplittableRandom RNG = new SplittableRandom(23);
  private static final Reduction[] NMS = {Reduction.NONE, Reduction.MEAN, Reduction.SUM};

  private static NDArray r(int... shape) {
    return NDArray.uniform(RNG, -2, 2, shape);
  }

  private static NDArray positive(int... shape) {
    return NDArray.uniform(RNG, 0.2, 2, shape);
  }

  private static NDArray probabilities(int rows, int classes) {
    return Value.of(r(rows, classes)).softmax(1).data();
  }

  @Test
  void crossEntropyWithWeightsIgnoreIndexAndSmoothingInLogitsAndWeights() {
    int[] labels = {2, -100, 0, 3, 2};
    for (Reduction red : NMS) {
      for (double smoothing : new double[] {0, 0.15}) {
        CHECK.verify(xs -> Losses.crossEntropy(xs[0], labels, CrossEntropyOptions.builder().weight(xs[1])
            .labelSmoothing(smoothing).reduction(red).build()), r(5, 4), positive(4));
        CHECK.verifySecondOrder(xs -> Losses.crossEntropy(xs[0], labels, CrossEntropyOptions.builder()
            .weight(xs[1]).labelSmoothing(smoothing).reduction(red).build()), r(5, 4), positive(4));
      }
      CHECK.verify(xs -> Losses.nll(xs[0], new int[] {2, 3, 0, 3, 1}, CrossEntropyOptions.builder().weight(xs[1]).ignoreIndex(3)
          .reduction(red).build()), r(5, 4), positive(4));
    }
  }

  @Test
  void crossEntropyWithProbabilityTargetsInLogitsAndTargets() {
    for (Reduction red : NMS) {
      CrossEntropyOptions o = CrossEntropyOptions.builder().weight(0.5, 1.5, 1.0).labelSmoothing(0.1).reduction(red)
          .build();
      CHECK.verify(xs -> Losses.crossEntropy(xs[0], xs[1], o), r(4, 3), probabilities(4, 3));
      CHECK.verifySecondOrder(xs -> Losses.crossEntropy(xs[0], xs[1], o), r(4, 3), probabilities(4, 3));
    }
  }

  @Test
  void crossEntropyOverSpatialAndUnbatchedInputs() {
    Value labels = Value.of(NDArray.fromFlat(new double[] {0, 2, 1, -100, 2, 1}, 2, 3));
    for (Reduction red : NMS) {
      CrossEntropyOptions o = CrossEntropyOptions.builder().weight(1.0, 0.3, 2.0).labelSmoothing(0.2)
          .reduction(red).build();
      CHECK.verify(xs -> Losses.crossEntropy(xs[0], labels, o), r(2, 3, 3));
      CHECK.verifySecondOrder(xs -> Losses.crossEntropy(xs[0], labels, o), r(2, 3, 3));
      CHECK.verify(xs -> Losses.crossEntropy(xs[0], Value.scalar(1), o), r(3));
    }
  }

  @Test
  void binaryCrossEntropiesInEveryInput() {
    NDArray t = NDArray.of(new double[][] {{0.9, 0.1, 0.3}, {0.05, 0.6, 0.8}}); // inside (0, 1): room to perturb
    for (Reduction red : NMS) {
      // logits, targets, element weight [2, 1] and a posWeight per class
      CHECK.verify(xs -> Losses.bceWithLogits(xs[0], xs[1], BceOptions.builder().weight(xs[2]).posWeight(xs[3])
          .reduction(red).build()), r(2, 3), t, positive(2, 1), positive(3));
      CHECK.verifySecondOrder(xs -> Losses.bceWithLogits(xs[0], xs[1], BceOptions.builder().weight(xs[2])
          .posWeight(xs[3]).reduction(red).build()), r(2, 3), t, positive(2, 1), positive(3));
      NDArray p = NDArray.uniform(RNG, 0.05, 0.95, 2, 3);
      CHECK.verify(xs -> Losses.bce(xs[0], Value.of(t), BceOptions.builder().weight(xs[1]).reduction(red).build()),
          p, positive(3));
      CHECK.verifySecondOrder(xs -> Losses.bce(xs[0], Value.of(t), BceOptions.builder().weight(xs[1])
          .reduction(red).build()), p, positive(3));
    }
  }

  @Test
  void huberAndSmoothL1AwayFromTheirSeams() {
    // differences of ±0.3 and ±1.7 stay clear of |d| = δ or β (1 and 0.5) and of 0
    NDArray a = NDArray.of(0.3, -1.7, 1.7, -0.3, 0.45 + 0.3);
    NDArray b = NDArray.of(0, 0, 0, 0, 0.45);
    for (Reduction red : NMS) {
      for (double delta : new double[] {1.0, 0.5}) {
        CHECK.verify(xs -> Losses.huber(xs[0], xs[1], red, delta), a, b);
        CHECK.verifySecondOrder(xs -> Losses.huber(xs[0], xs[1], red, delta), a, b);
        CHECK.verify(xs -> Losses.smoothL1(xs[0], xs[1], red, delta), a, b);
        CHECK.verifySecondOrder(xs -> Losses.smoothL1(xs[0], xs[1], red, delta), a, b);
      }
      CHECK.verify(xs -> Losses.smoothL1(xs[0], xs[1], red, 0.0), a, b);
    }
  }

  @Test
  void huberIsContinuousWithItsSlopeAtTheSeam() {
    for (double d : new double[] {1.0 - 1e-9, 1.0, 1.0 + 1e-9}) {
      Value x = Value.of(d).requiresGrad(true);
      Value loss = Losses.huber(x, Value.of(0.0), Reduction.SUM, 1.0);
      loss.backward();
      assertEquals(0.5, loss.item(), 1e-8);
      assertEquals(1.0, x.grad().item(), 1e-8);
    }
  }

  @Test
  void klDivInInputAndTarget() {
    for (Reduction red : Reduction.values()) {
      CHECK.verify(xs -> Losses.klDiv(xs[0], xs[1], red, false), r(2, 3), positive(2, 3));
      CHECK.verifySecondOrder(xs -> Losses.klDiv(xs[0], xs[1], red, false), r(2, 3), positive(2, 3));
      CHECK.verify(xs -> Losses.klDiv(xs[0], xs[1], red, true), r(2, 3), r(2, 3));
      CHECK.verifySecondOrder(xs -> Losses.klDiv(xs[0], xs[1], red, true), r(2, 3), r(2, 3));
    }
    // a zero target contributes 0 and a finite gradient (xlogy), as PyTorch's
    Value input = Value.of(-1.0, -2.0).requiresGrad(true);
    Value loss = Losses.klDiv(input, Value.of(0.0, 1.0), Reduction.SUM, false);
    loss.backward();
    assertEquals(2.0, loss.item(), 1e-15);
    assertTrue(input.grad().allFinite());
  }

  @Test
  void embeddingAndRankingLosses() {
    Value y = Value.of(1.0, -1.0, -1.0, 1.0);
    for (Reduction red : NMS) {
      CHECK.verify(xs -> Losses.cosineEmbedding(xs[0], xs[1], y, -0.2, red), r(4, 3), r(4, 3));
      CHECK.verifySecondOrder(xs -> Losses.cosineEmbedding(xs[0], xs[1], y, -0.2, red), r(4, 3), r(4, 3));
      CHECK.verify(xs -> Losses.marginRanking(xs[0], xs[1], y, 0.3, red), r(4), r(4));
      for (double p : new double[] {2, 1.5, 3}) {
        for (boolean swap : new boolean[] {false, true}) {
          TripletMarginOptions o = TripletMarginOptions.builder().margin(2).p(p).swap(swap).reduction(red).build();
          CHECK.verify(xs -> Losses.tripletMargin(xs[0], xs[1], xs[2], o), r(3, 4), r(3, 4), r(3, 4));
          CHECK.verifySecondOrder(xs -> Losses.tripletMargin(xs[0], xs[1], xs[2], o), r(3, 4), r(3, 4), r(3, 4));
        }
      }
    }
  }
}
