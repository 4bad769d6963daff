package dev.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.GradCheck;
import dev.autograd.Value;
import dev.autograd.array.NDArray;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class EmbeddingTest {
  private static void assertRejects(Executable call, String... fragments) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "'" + f + "' not in: " + e.getMessage());
    }
  }

  @Test
  void lookupShapesForEveryIndexForm() {
    Embedding emb = new Embedding(10, 3, new SplittableRandom(1));
    NDArray w = emb.weight().data();
    Value a = emb.forward(4, 0, 4);
    assertArrayEquals(new int[] {3, 3}, a.shape());
    assertArrayEquals(w.slice(0, 4, 5).toArray(), a.data().slice(0, 0, 1).toArray(), 0.0);
    assertArrayEquals(new int[] {2, 3, 3}, emb.forward(new int[][] {{1, 2, 3}, {4, 5, 6}}).shape());
    Value fromValue = emb.forward(Value.of(NDArray.of(new double[][] {{9, 1}, {2, 2}})));
    assertArrayEquals(new int[] {2, 2, 3}, fromValue.shape());
    assertArrayEquals(w.slice(0, 9, 10).toArray(), fromValue.data().slice(0, 0, 1).slice(1, 0, 1).toArray(), 0.0);
    assertArrayEquals(new int[] {3}, emb.forward(Value.scalar(7)).shape(), "a rank-0 index gives one vector");
  }

  @Test
  void weightsStartStandardNormalAndRowGradientsAccumulate() {
    Embedding big = new Embedding(2000, 50, new SplittableRandom(3));
    double[] w = big.weight().data().toArray();
    double mean = java.util.Arrays.stream(w).average().orElseThrow();
    double var = java.util.Arrays.stream(w).map(v -> (v - mean) * (v - mean)).average().orElseThrow();
    assertEquals(0.0, mean, 0.01);
    assertEquals(1.0, var, 0.01);

    Embedding emb = new Embedding(5, 2, new SplittableRandom(1));
    emb.forward(1, 3, 1).sum().backward();
    assertArrayEquals(new double[] {0, 0, 2, 2, 0, 0, 1, 1, 0, 0}, emb.weight().grad().toArray(), 0.0);
  }

  @Test
  void paddingRowStartsAtZeroAndGetsNoGradient() {
    Embedding emb = new Embedding(6, 3, -1, new SplittableRandom(2)); // -1 means row 5, as in PyTorch
    assertEquals(5, emb.paddingIdx());
    assertArrayEquals(new double[3], emb.weight().data().slice(0, 5, 6).toArray(), 0.0);
    Value out = emb.forward(new int[][] {{1, 5, 5}, {5, 2, 1}});
    Waves.project(out).backward();
    double[] g = emb.weight().grad().toArray();
    assertArrayEquals(new double[3], java.util.Arrays.copyOfRange(g, 15, 18), 0.0);
    assertTrue(java.util.Arrays.stream(java.util.Arrays.copyOfRange(g, 3, 6)).allMatch(v -> v != 0));

    // a padding row set by hand is returned as set, and still gets no gradient
    double[] w = emb.weight().data().toArray();
    w[15] = 7;
    emb.weight().setData(NDArray.fromFlat(w, 6, 3));
    emb.zeroGrad();
    Value again = emb.forward(5, 0);
    assertEquals(7.0, again.data().get(0, 0));
    again.sum().backward();
    assertEquals(0.0, emb.weight().grad().get(5, 0));
    assertEquals(1.0, emb.weight().grad().get(0, 0));
  }

  @Test
  void gradCheckOfTheRowsThroughAFunction() {
    Embedding emb = new Embedding(4, 3, 0, new SplittableRandom(5));
    Waves.verifyParameterGradients(emb, () -> emb.forward(new int[][] {{0, 1}, {3, 1}}).tanh().square().sum(),
        1e-6);
    // the lookup is linear in the rows, so a downstream function of it checks to second order
    GradCheck.create().verifySecondOrder(xs -> xs[0].indexSelect(0, 2, 0, 2).tanh(), emb.weight().data());
  }

  @Test
  void rejections() {
    Embedding emb = new Embedding(4, 3, new SplittableRandom(5));
    assertRejects(() -> emb.forward(4), "index 4 is out of range [0, 4)");
    assertRejects(() -> emb.forward(-1), "index -1 is out of range");
    assertRejects(() -> emb.forward(Value.of(1.5)), "integers", "1.5");
    assertRejects(() -> emb.forward(new int[][] {{1, 2}, {3}}), "equal lengths");
    assertRejects(() -> new Embedding(4, 3, 4, new SplittableRandom(1)), "paddingIdx", "[-4, 4)");
    assertRejects(() -> new Embedding(0, 3, new SplittableRandom(1)), "positive");
  }
}
