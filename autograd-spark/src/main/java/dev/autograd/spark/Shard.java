package dev.autograd.spark;

import java.io.Serializable;
import java.util.List;

/**
 * The examples of one partition with the data set position of the first: partition {@code p} holds positions
 * {@code [start, start + examples.size())} (what {@code zipWithIndex} assigns), so a partition finds its share of a
 * batch by binary search without a shuffle.
 */
record Shard<E>(long start, List<E> examples) implements Serializable {
  long end() {
    return start + examples.size();
  }
}
