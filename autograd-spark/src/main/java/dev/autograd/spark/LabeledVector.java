package dev.autograd.spark;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One classification example: a feature vector and a class index in {@code [0, classes)}. The array is not copied:
 * do not change it after construction.
 */
public record LabeledVector(double[] features, int label) implements Serializable {
  /** @throws IllegalArgumentException for a null or empty feature vector or a negative label */
  public LabeledVector {
    checkArgument(features != null && features.length > 0, "LabeledVector: features must be non-empty");
    checkArgument(label >= 0, "LabeledVector: label must be >= 0, got %s", label);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabeledVector v && v.label == label && Arrays.equals(v.features, features);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(features) + label;
  }

  @Override
  public String toString() {
    return "LabeledVector[" + features.length + " features, label " + label + "]";
  }
}
