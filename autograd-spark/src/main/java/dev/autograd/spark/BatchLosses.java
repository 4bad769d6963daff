package dev.autograd.spark;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.Value;
import dev.autograd.array.NDArray;
import dev.autograd.nn.Losses;
import dev.autograd.nn.Reduction;
import java.util.List;

/** Ready-made {@link BatchLoss} functions over {@link LabeledVector} examples. */
public final class BatchLosses {
  private BatchLosses() {}

  /**
   * Summed cross-entropy of the model's logits {@code [n, classes]} against the labels, the distributed form of
   * {@code Losses.crossEntropy(model.forward(x), labels)} (which is this divided by n).
   */
  public static BatchLoss<LabeledVector> crossEntropy() {
    return (model, examples) -> Losses.crossEntropy(model.forward(Value.of(features(examples))), labels(examples), 0.0,
        Reduction.SUM);
  }

  /** The examples' features stacked as rows of an {@code [n, d]} array, in list order. */
  public static NDArray features(List<LabeledVector> examples) {
    checkArgument(!examples.isEmpty(), "features: no examples");
    int d = examples.get(0).features().length;
    double[] flat = new double[examples.size() * d];
    for (int i = 0; i < examples.size(); i++) {
      double[] f = examples.get(i).features();
      checkArgument(f.length == d, "features: example %s has %s features, example 0 has %s", i, f.length, d);
      System.arraycopy(f, 0, flat, i * d, d);
    }
    return NDArray.fromFlat(flat, examples.size(), d);
  }

  /** The examples' labels in list order. */
  public static int[] labels(List<LabeledVector> examples) {
    int[] out = new int[examples.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = examples.get(i).label();
    }
    return out;
  }
}
