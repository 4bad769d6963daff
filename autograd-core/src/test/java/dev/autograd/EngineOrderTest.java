package dev.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.autograd.array.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The backward order (see Engine.Frontier): nodes wait in a ring when they were created shortly before the node being
 * processed, in a heap when they are older, and in a list when they are leaves. Wrong order shows up as a missing
 * contribution, so these graphs mix all three on purpose and compare with finite differences.
 */
class EngineOrderTest {

  /**
   * A random graph of a few thousand scalar ops whose inputs are sometimes the previous node, sometimes any earlier
   * node (far beyond the ring's reach), with unrelated nodes created in between so that sequences have gaps.
   */
  private static Value randomGraph(Value[] x, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Value> nodes = new ArrayList<>(List.of(x));
    Value early = x[0].mul(x[1]); // an op node reused at the very end: it waits in the heap
    nodes.add(early);
    for (int i = 0; i < 6000; i++) {
      Value recent = nodes.get(nodes.size() - 1);
      Value any = nodes.get(rng.nextInt(nodes.size()));
      Value next = switch (rng.nextInt(4)) {
        case 0 -> recent.add(any).mul(0.5);
        case 1 -> recent.mul(any).tanh();
        case 2 -> recent.sub(any.mul(0.3)).sigmoid();
        default -> any.tanh().add(recent.mul(0.2));
      };
      nodes.add(next);
      if (i % 1500 == 0) {
        Value unrelated = Value.scalar(1.0).requiresGrad(true);
        for (int j = 0; j < 5000; j++) { // a gap of 5,000 sequences that no path from the output crosses
          unrelated = unrelated.mul(1.0);
        }
      }
    }
    return nodes.get(nodes.size() - 1).add(early).add(nodes.get(nodes.size() / 3));
  }

  @Test
  void ringHeapAndLeavesTogetherGiveTheFiniteDifferenceGradient() {
    for (long seed = 1; seed <= 3; seed++) {
      long s = seed;
      GradCheck.create().verify(x -> randomGraph(x, s), NDArray.scalar(0.3), NDArray.scalar(-0.7),
          NDArray.scalar(1.1));
    }
  }

  @Test
  void aFailedPassLeavesNoHalfAccumulatedGradients() {
    Value[] x = {Value.scalar(0.3).requiresGrad(true), Value.scalar(-0.7).requiresGrad(true), Value.scalar(1.1).requiresGrad(true)};
    Value first = randomGraph(x, 7);
    double[] expected = gradients(new double[] {0.3, -0.7, 1.1}, 7);

    x[2].setData(NDArray.scalar(1.1)); // same number, new version: the first graph may no longer be differentiated
    assertThrows(IllegalStateException.class, first::backward);
    for (Value v : x) {
      v.zeroGrad();
    }
    randomGraph(x, 7).backward(); // the same nodes (x and their consumers) are reached again
    for (int i = 0; i < x.length; i++) {
      assertEquals(expected[i], x[i].grad().item(), 0.0, "input " + i);
    }
  }

  private static double[] gradients(double[] values, long seed) {
    Value[] x = new Value[values.length];
    for (int i = 0; i < values.length; i++) {
      x[i] = Value.scalar(values[i]).requiresGrad(true);
    }
    randomGraph(x, seed).backward();
    double[] g = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      g[i] = x[i].grad().item();
    }
    return g;
  }
}
