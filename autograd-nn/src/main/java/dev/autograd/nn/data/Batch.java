package dev.autograd.nn.data;

import dev.autograd.array.NDArray;

/** One mini-batch: inputs and targets, first axis = sample, plus which dataset rows they came from. */
public record Batch(NDArray inputs, NDArray targets, int[] indices) {
  /** Targets as integer class labels (for cross-entropy). */
  public int[] labels() {
    double[] t = targets.toArray();
    int[] out = new int[t.length];
    for (int i = 0; i < t.length; i++) {
      out[i] = (int) t[i];
    }
    return out;
  }

  public int size() {
    return indices.length;
  }
}
