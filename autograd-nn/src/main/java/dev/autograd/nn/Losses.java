package dev.autograd.nn;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.Value;
import dev.autograd.array.NDArray;
import dev.autograd.array.Shapes;
import java.util.Arrays;

/**
 * Loss functions, each a composition of core ops (their gradients come from the engine, none is hand-written). All
 * take a {@link Reduction}; the overloads without one use {@link Reduction#MEAN}. Formulas match PyTorch's.
 */
public final class Losses {
  /** PyTorch clamps log-probabilities in BCE at −100 so that p = 0 or 1 gives a large finite loss, never ∞. */
  private static final double MIN_LOG = -100.0;

  private Losses() {}

  /** Mean squared error: (prediction − target)². */
  public static Value mse(Value prediction, Value target, Reduction r) {
    checkSameShape("mse", prediction, target);
    return r.apply(prediction.sub(target).pow(2));
  }

  public static Value mse(Value prediction, Value target) {
    return mse(prediction, target, Reduction.MEAN);
  }

  /** Mean absolute error: |prediction − target|. */
  public static Value l1(Value prediction, Value target, Reduction r) {
    checkSameShape("l1", prediction, target);
    return r.apply(prediction.sub(target).abs());
  }

  public static Value l1(Value prediction, Value target) {
    return l1(prediction, target, Reduction.MEAN);
  }

  /**
   * Binary cross-entropy on probabilities: −(t·log p + (1−t)·log(1−p)), with each log clamped at −100 like PyTorch.
   * Prefer {@link #bceWithLogits} when you have logits: it is exact for any logit.
   */
  public static Value bce(Value probabilities, Value targets, Reduction r) {
    checkSameShape("bce", probabilities, targets);
    checkUnitInterval("bce", "probabilities", probabilities.data());
    checkUnitInterval("bce", "targets", targets.data());
    Value logP = clampedLog(probabilities);
    Value logNotP = clampedLog(probabilities.neg().add(1.0));
    return r.apply(targets.mul(logP).add(targets.neg().add(1.0).mul(logNotP)).neg());
  }

  public static Value bce(Value probabilities, Value targets) {
    return bce(probabilities, targets, Reduction.MEAN);
  }

  /** log(max(p, e^−100)): the value of PyTorch's clamp, with a zero (not NaN) gradient where it clamps. */
  private static Value clampedLog(Value p) {
    return p.clamp(Math.exp(MIN_LOG), 1.0).log();
  }

  /** Binary cross-entropy from logits: softplus(x) − t·x, stable for any x (±1000 included). */
  public static Value bceWithLogits(Value logits, Value targets, Reduction r) {
    checkSameShape("bceWithLogits", logits, targets);
    checkUnitInterval("bceWithLogits", "targets", targets.data());
    return r.apply(logits.softplus().sub(targets.mul(logits)));
  }

  public static Value bceWithLogits(Value logits, Value targets) {
    return bceWithLogits(logits, targets, Reduction.MEAN);
  }

  /** Cross-entropy from logits {@code [N, C]} with integer class labels, via a stable log-softmax. */
  public static Value crossEntropy(Value logits, int[] labels) {
    return crossEntropy(logits, labels, 0.0, Reduction.MEAN);
  }

  /** {@link #crossEntropy(Value, int[])} with the labels as a value of class indices, as PyTorch's target tensor. */
  public static Value crossEntropy(Value logits, Value labels) {
    return crossEntropy(logits, classIndices("crossEntropy", labels));
  }

  /**
   * Cross-entropy from logits with optional label smoothing ε: the target puts 1−ε on the label and ε spread evenly
   * over all C classes (PyTorch's definition), i.e. (1−ε)·(−log p_label) + ε·mean_c(−log p_c). The label's
   * log-probability is picked out (gathered), never multiplied by a one-hot row, so a −∞ logit elsewhere in the row
   * (a mask) leaves the loss finite, as in PyTorch.
   */
  public static Value crossEntropy(Value logits, int[] labels, double labelSmoothing, Reduction r) {
    checkArgument(labelSmoothing >= 0 && labelSmoothing <= 1,
        "crossEntropy: label smoothing must be in [0, 1], got %s", labelSmoothing);
    checkLogits("crossEntropy", logits, labels);
    Value logP = logits.logSoftmax(1);
    Value loss = pick("crossEntropy", logP, labels).neg();
    if (labelSmoothing > 0) {
      Value uniform = logP.mean(1).neg();
      loss = loss.mul(1.0 - labelSmoothing).add(uniform.mul(labelSmoothing));
    }
    return r.apply(loss);
  }

  /** Negative log-likelihood of log-probabilities {@code [N, C]} at the labels. */
  public static Value nll(Value logProbabilities, int[] labels, Reduction r) {
    checkLogits("nll", logProbabilities, labels);
    return r.apply(pick("nll", logProbabilities, labels).neg());
  }

  public static Value nll(Value logProbabilities, int[] labels) {
    return nll(logProbabilities, labels, Reduction.MEAN);
  }

  /** {@link #nll(Value, int[])} with the labels as a value of class indices. */
  public static Value nll(Value logProbabilities, Value labels) {
    return nll(logProbabilities, classIndices("nll", labels));
  }

  /** x[i, labels[i]] for every row i, as a vector (a gather: differentiable, and no 0·∞ from other entries). */
  private static Value pick(String op, Value x, int[] labels) {
    int classes = x.shape()[1];
    int[] flat = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      checkArgument(labels[i] >= 0 && labels[i] < classes, "%s: label %s at position %s is outside [0, %s)", op,
          labels[i], i, classes);
      flat[i] = i * classes + labels[i];
    }
    return x.reshape(-1).indexSelect(0, flat);
  }

  /** A vector of class indices held in a value: each element a non-negative integer. */
  private static int[] classIndices(String op, Value labels) {
    checkArgument(labels.rank() == 1, "%s: labels must be a vector of class indices, got shape %s", op,
        Shapes.lazyFormat(labels.shape()));
    double[] d = labels.data().toArray();
    int[] out = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      checkArgument(d[i] == Math.rint(d[i]) && d[i] >= 0 && d[i] <= Integer.MAX_VALUE,
          "%s: label %s at position %s is not a class index (a non-negative integer)", op, d[i], i);
      out[i] = (int) d[i];
    }
    return out;
  }

  /** Max-margin (hinge) loss for labels in {−1, +1}: relu(1 − y·score), as in micrograd's demo. */
  public static Value hinge(Value scores, Value labels, Reduction r) {
    checkSameShape("hinge", scores, labels);
    for (double y : labels.data().toArray()) {
      checkArgument(y == 1.0 || y == -1.0, "hinge: labels must be -1 or +1, got %s", y);
    }
    return r.apply(labels.mul(scores).neg().add(1.0).relu());
  }

  public static Value hinge(Value scores, Value labels) {
    return hinge(scores, labels, Reduction.MEAN);
  }

  /** The L2 penalty Σ‖p‖² over parameters (multiply by the regularisation strength and add to a loss). */
  public static Value l2Penalty(java.util.List<Value> parameters) {
    Value total = Value.scalar(0);
    for (Value p : parameters) {
      total = total.add(p.pow(2).sum());
    }
    return total;
  }

  /** Rows of the identity: {@code [labels.length, classes]}. */
  public static NDArray oneHot(int[] labels, int classes) {
    double[] d = new double[labels.length * classes];
    for (int i = 0; i < labels.length; i++) {
      checkArgument(labels[i] >= 0 && labels[i] < classes, "oneHot: label %s at position %s is outside [0, %s)",
          labels[i], i, classes);
      d[i * classes + labels[i]] = 1.0;
    }
    return NDArray.fromFlat(d, labels.length, classes);
  }

  private static void checkLogits(String op, Value logits, int[] labels) {
    checkArgument(logits.rank() == 2, "%s: expected logits of shape [N, C], got %s", op,
        Shapes.lazyFormat(logits.shape()));
    checkArgument(logits.shape()[0] == labels.length, "%s: %s rows of logits but %s labels", op, logits.shape()[0],
        labels.length);
  }

  private static void checkSameShape(String op, Value a, Value b) {
    checkArgument(Arrays.equals(a.shape(), b.shape()), "%s: prediction shape %s and target shape %s differ", op,
        Shapes.lazyFormat(a.shape()), Shapes.lazyFormat(b.shape()));
  }

  private static void checkUnitInterval(String op, String what, NDArray a) {
    for (double x : a.toArray()) {
      checkArgument(x >= 0 && x <= 1, "%s: %s must lie in [0, 1], found %s", op, what, x);
    }
  }
}
