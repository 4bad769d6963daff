package dev.autograd.spark;

import java.io.Serializable;

/**
 * What one partition, and then each node of {@code treeAggregate}, sends up: the summed gradient of some examples,
 * their count and summed loss, and the longest forward/backward time among the partitions it covers.
 *
 * <p>Sums are kept in double-double form (a head, the rounded sum, and a tail carrying its rounding error), so the
 * head is the sum of the partitions' gradients rounded once, to within ~2⁻¹⁰⁶ relative: whatever order Spark merges
 * partition results in (the driver merges them as tasks finish), the result is the same bits unless the exact sum
 * lies that close to a rounding boundary. That makes a run reproducible, and a resumed run equal to an uninterrupted
 * one. A partition's own result has no tail (8 bytes per parameter on the wire); merged nodes carry 16.
 *
 * <p>Merging is done in place into the left operand (Spark allows an aggregation's combiner to reuse its first
 * argument).
 */
final class GradientSum implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Null while empty, so the zero value Spark copies into every task costs a few bytes, not a gradient. */
  double[] gradient;
  /** Rounding errors of {@link #gradient}; null while there are none (a single partition's result). */
  private double[] tail;
  long count;
  private double loss;
  private double lossTail;
  long maxComputeNanos;

  static GradientSum empty() {
    return new GradientSum();
  }

  static GradientSum of(double[] gradient, long count, double loss, long computeNanos) {
    GradientSum s = new GradientSum();
    s.gradient = gradient;
    s.count = count;
    s.loss = loss;
    s.maxComputeNanos = computeNanos;
    return s;
  }

  /** The summed loss, rounded once. */
  double loss() {
    return loss;
  }

  /** Adds {@code other} into this and returns this. */
  GradientSum merge(GradientSum other) {
    if (other.gradient != null) {
      if (gradient == null) {
        gradient = other.gradient.clone();
        tail = other.tail == null ? null : other.tail.clone();
      } else {
        if (tail == null) {
          tail = new double[gradient.length];
        }
        double[] hi = gradient;
        double[] lo = tail;
        double[] oHi = other.gradient;
        double[] oLo = other.tail;
        double[] pair = new double[2];
        for (int i = 0; i < hi.length; i++) {
          add(hi[i], lo[i], oHi[i], oLo == null ? 0 : oLo[i], pair);
          hi[i] = pair[0];
          lo[i] = pair[1];
        }
      }
    }
    double[] pair = new double[2];
    add(loss, lossTail, other.loss, other.lossTail, pair);
    loss = pair[0];
    lossTail = pair[1];
    count += other.count;
    maxComputeNanos = Math.max(maxComputeNanos, other.maxComputeNanos);
    return this;
  }

  /**
   * (aHi + aLo) + (bHi + bLo) as a normalised double-double {@code out = {hi, lo}}, hi = fl(hi + lo): Knuth's TwoSum
   * of the heads, the tails added to its error, then Dekker's FastTwoSum to renormalise.
   */
  static void add(double aHi, double aLo, double bHi, double bLo, double[] out) {
    double s = aHi + bHi;
    double bb = s - aHi;
    double e = (aHi - (s - bb)) + (bHi - bb);
    e += aLo + bLo;
    double hi = s + e;
    out[0] = hi;
    out[1] = e - (hi - s);
  }
}
