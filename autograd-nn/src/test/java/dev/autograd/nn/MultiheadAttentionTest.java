package dev.autograd.nn;

import static dev.autograd.nn.Waves.wave;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.GradCheck;
import dev.autograd.Value;
import dev.autograd.array.NDArray;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class MultiheadAttentionTest {
  private static final GradCheck CHECK = GradCheck.create();

  private static void assertRejects(Executable call, String... fragments) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "'" + f + "' not in: " + e.getMessage());
    }
  }

  private static MultiheadAttention wavy(boolean batchFirst) {
    MultiheadAttention mha = MultiheadAttention.builder(4, 2).batchFirst(batchFirst).build();
    Waves.setWaves(mha, 0.8, 0.5);
    return mha;
  }

  @Test
  void parametersAreNamedAsPyTorchAndInitialised() {
    MultiheadAttention mha = MultiheadAttention.builder(8, 2).seed(3).build();
    assertEquals(List.of("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"),
        List.copyOf(mha.namedParameters().keySet()));
    assertArrayEquals(new int[] {24, 8}, mha.inProjWeight().shape());
    double bound = Math.sqrt(6.0 / (8 + 24));
    assertTrue(java.util.Arrays.stream(mha.inProjWeight().data().toArray()).allMatch(v -> Math.abs(v) <= bound));
    assertEquals(NDArray.zeros(24), mha.inProjBias().data());
    assertEquals(NDArray.zeros(8), mha.outProj().bias().data());
    assertEquals(List.of("in_proj_weight", "out_proj.weight"),
        List.copyOf(MultiheadAttention.builder(8, 2).bias(false).build().namedParameters().keySet()));
  }

  @Test
  void masksMatchTorch() {
    MultiheadAttention mha = wavy(true);
    Value q = Value.of(wave(0.9, 1, 2, 3, 4));
    Value kv = Value.of(wave(1.0, 1, 2, 5, 4));
    boolean[][] padded = {{false, false, false, false, true}, {false, false, false, true, true}};
    MultiheadAttention.Output out = mha.attend(q, kv, kv).causal().keyPaddingMask(padded).compute();
    // reference from torch 1.13: attn_mask = triu(full((3, 5), -inf), 1), key_padding_mask as above
    assertArrayEquals(new double[] {-0.3885967990502474, -0.5695715483158402, -0.20678411495686014,
        -0.5488693309035948}, out.output().data().slice(0, 1, 2).slice(1, 2, 3).toArray(), 1e-13);
    assertArrayEquals(new double[] {1.0, 0.0, 0.0, 0.0, 0.0, 0.14743785353547811, 0.8525621464645219, 0.0, 0.0, 0.0,
        0.3702387681051641, 0.20800577948108828, 0.4217554524137476, 0.0, 0.0},
        out.attnWeights().data().slice(0, 1, 2).toArray(), 1e-13);
    // the same masks given as one additive float attn mask, and as a boolean one
    boolean[][] future = new boolean[3][5];
    for (int i = 0; i < 3; i++) {
      for (int j = i + 1; j < 5; j++) {
        future[i][j] = true;
      }
    }
    assertEquals(out.output().data(),
        mha.attend(q, kv, kv).attnMask(future).keyPaddingMask(padded).compute().output().data());
    double inf = Double.POSITIVE_INFINITY;
    NDArray additiveCausal = NDArray.of(new double[][] {{0, -inf, -inf, -inf, -inf}, {0, 0, -inf, -inf, -inf},
        {0, 0, 0, -inf, -inf}});
    assertEquals(out.output().data(),
        mha.attend(q, kv, kv).attnMask(additiveCausal).keyPaddingMask(padded).compute().output().data());
  }

  @Test
  void causalMaskIsMinusInfinityAboveTheDiagonal() {
    double inf = Double.POSITIVE_INFINITY;
    assertEquals(NDArray.of(new double[][] {{0, -inf, -inf}, {0, 0, -inf}, {0, 0, 0}}),
        MultiheadAttention.causalMask(3));
  }

  @Test
  void causalOutputAtTIgnoresLaterInputs() {
    MultiheadAttention mha = MultiheadAttention.builder(6, 3).batchFirst(true).seed(5).build();
    NDArray x = wave(0.3, 1, 2, 5, 6);
    NDArray y = mha.attend(Value.of(x), Value.of(x), Value.of(x)).causal().compute().output().data();
    for (int t = 0; t < 5; t++) {
      double[] changed = x.toArray();
      for (int later = t + 1; later < 5; later++) {
        for (int b = 0; b < 2; b++) {
          for (int e = 0; e < 6; e++) {
            changed[(b * 5 + later) * 6 + e] += 3.0 * (e + 1);
          }
        }
      }
      Value xc = Value.of(NDArray.fromFlat(changed, 2, 5, 6));
      NDArray yc = mha.attend(xc, xc, xc).causal().compute().output().data();
      assertArrayEquals(y.slice(1, 0, t + 1).toArray(), yc.slice(1, 0, t + 1).toArray(), 1e-14, "t=" + t);
      if (t < 4) {
        assertNotEquals(y.slice(1, t + 1, 5), yc.slice(1, t + 1, 5));
      }
    }
    // without the mask, position 0 sees the future
    NDArray open = mha.forward(Value.of(x)).data();
    assertNotEquals(y.slice(1, 0, 1), open.slice(1, 0, 1));
    assertArrayEquals(y.slice(1, 4, 5).toArray(), open.slice(1, 4, 5).toArray(), 1e-14, "the last position sees all");
  }

  @Test
  void attentionWeightsRowsSumToOneAndLayoutsAgree() {
    MultiheadAttention first = wavy(true);
    MultiheadAttention seqFirst = wavy(false);
    NDArray q = wave(0.9, 1, 2, 3, 4);
    NDArray kv = wave(1.0, 1, 2, 5, 4);
    MultiheadAttention.Output a = first.forward(Value.of(q), Value.of(kv), Value.of(kv));
    assertArrayEquals(new int[] {2, 3, 5}, a.attnWeights().shape());
    double[] rows = a.attnWeights().data().sum(new int[] {2}, false).toArray();
    for (double r : rows) {
      assertEquals(1.0, r, 1e-14);
    }
    MultiheadAttention.Output b = seqFirst.forward(Value.of(q.transpose(0, 1)), Value.of(kv.transpose(0, 1)),
        Value.of(kv.transpose(0, 1)));
    assertArrayEquals(a.output().data().toArray(), b.output().data().transpose(0, 1).toArray(), 1e-15);
    assertEquals(a.attnWeights().data(), b.attnWeights().data());
    MultiheadAttention.Output perHead = first.attend(Value.of(q), Value.of(kv), Value.of(kv))
        .averageAttnWeights(false).compute();
    assertArrayEquals(new int[] {2, 2, 3, 5}, perHead.attnWeights().shape());
    assertArrayEquals(a.attnWeights().data().toArray(),
        perHead.attnWeights().data().mean(new int[] {1}, false).toArray(), 1e-15);
    assertNull(first.attend(Value.of(q), Value.of(kv), Value.of(kv)).needWeights(false).compute().attnWeights());
    MultiheadAttention.Output single = first.forward(Value.of(q.slice(0, 1, 2).reshape(3, 4)),
        Value.of(kv.slice(0, 1, 2).reshape(5, 4)), Value.of(kv.slice(0, 1, 2).reshape(5, 4)));
    assertArrayEquals(new int[] {3, 4}, single.output().shape());
    assertArrayEquals(new int[] {3, 5}, single.attnWeights().shape());
    assertArrayEquals(a.output().data().slice(0, 1, 2).toArray(), single.output().data().toArray(), 1e-15);
  }

  @Test
  void attentionDropoutOnlyInTraining() {
    MultiheadAttention mha = MultiheadAttention.builder(4, 2).dropout(0.5).batchFirst(true).seed(1).build();
    Value x = Value.of(wave(0, 1, 1, 6, 4));
    MultiheadAttention.Output trained = mha.forward(x, x, x);
    double[] w = mha.attend(x, x, x).averageAttnWeights(false).compute().attnWeights().data().toArray();
    assertTrue(java.util.Arrays.stream(w).anyMatch(v -> v == 0.0), "some weights dropped");
    mha.eval();
    MultiheadAttention.Output evaluated = mha.forward(x, x, x);
    assertNotEquals(trained.output().data(), evaluated.output().data());
    for (double r : evaluated.attnWeights().data().sum(new int[] {2}, false).toArray()) {
      assertEquals(1.0, r, 1e-14);
    }
  }

  @Test
  void gradientsWithAndWithoutMasks() {
    MultiheadAttention mha = MultiheadAttention.builder(4, 2).batchFirst(true).seed(2).build();
    Waves.setWaves(mha, 0.2, 0.5);
    NDArray q = wave(0.1, 1, 2, 3, 4);
    NDArray kv = wave(0.5, 1, 2, 3, 4);
    boolean[][] padded = {{false, false, true}, {false, false, false}};
    CHECK.verify(xs -> mha.attend(xs[0], xs[1], xs[2]).causal().keyPaddingMask(padded).compute().output(), q, kv,
        kv);
    CHECK.verifySecondOrder(xs -> mha.attend(xs[0], xs[1], xs[1]).causal().compute().output(), q, kv);
    CHECK.verify(xs -> mha.forward(xs[0], xs[0], xs[0]).attnWeights(), q);
    Waves.verifyParameterGradients(mha,
        () -> Waves.project(mha.attend(Value.of(q), Value.of(kv), Value.of(kv)).causal().compute().output()), 1e-6);
  }

  @Test
  void rejections() {
    assertRejects(() -> MultiheadAttention.builder(6, 4), "embedDim (6) must be divisible by numHeads (4)");
    MultiheadAttention mha = MultiheadAttention.builder(4, 2).build();
    Value x = Value.zeros(3, 2, 4);
    assertRejects(() -> mha.forward(Value.zeros(3, 2, 5)), "MultiheadAttention", "[3, 2, 5]");
    assertRejects(() -> mha.forward(x, Value.zeros(5, 4), Value.zeros(5, 4)), "all unbatched");
    assertRejects(() -> mha.forward(x, Value.zeros(5, 3, 4), Value.zeros(5, 3, 4)), "same shape and batch");
    assertRejects(() -> mha.attend(x, x, x).attnMask(NDArray.zeros(3, 4)).compute(), "attnMask", "[3, 3]",
        "[3, 4]");
    assertRejects(() -> mha.attend(x, x, x).keyPaddingMask(new boolean[][] {{false, true}}).compute(),
        "keyPaddingMask", "[2, 3]", "[1, 2]");
    assertRejects(() -> MultiheadAttention.builder(4, 2).dropout(-0.1), "[0, 1]");
  }
}
