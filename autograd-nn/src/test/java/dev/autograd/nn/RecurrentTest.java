package dev.autograd.nn;

import static dev.autograd.nn.Waves.wave;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.GradCheck;
import dev.autograd.Value;
import dev.autograd.array.NDArray;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * RNN, GRU and LSTM cells and stacks against a hand-written loop of PyTorch's equations on plain arrays (and numbers
 * from torch 1.13 for the same weights), shapes for batchFirst and two layers, and gradient checks.
 */
class RecurrentTest {
  private static final GradCheck CHECK = GradCheck.create();

  private static void assertRejects(Executable call, String... fragments) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "'" + f + "' not in: " + e.getMessage());
    }
  }

  // ---------------------------------------------------------------- the reference equations, on NDArrays

  private static NDArray sigmoid(NDArray a) {
    return a.map(v -> 1 / (1 + Math.exp(-v)));
  }

  private static NDArray tanh(NDArray a) {
    return a.map(Math::tanh);
  }

  /** x·Wᵀ + b with the rows of gate k only (W is [gates·H, in]). */
  private static NDArray gate(NDArray x, NDArray w, NDArray b, int k, int h) {
    NDArray y = x.matmul(w.slice(0, k * h, (k + 1) * h).transpose());
    return b == null ? y : y.add(b.slice(0, k * h, (k + 1) * h));
  }

  /** One step for [N, in] x and [N, H] states; returns {h', c'} (c' null except for LSTM). */
  private static NDArray[] referenceStep(String kind, NDArray x, NDArray h, NDArray c, NDArray[] p) {
    NDArray wih = p[0];
    NDArray whh = p[1];
    NDArray bih = p[2];
    NDArray bhh = p[3];
    int hs = h.shape()[1];
    switch (kind) {
      case "tanh":
        return new NDArray[] {tanh(gate(x, wih, bih, 0, hs).add(gate(h, whh, bhh, 0, hs))), null};
      case "relu":
        return new NDArray[] {gate(x, wih, bih, 0, hs).add(gate(h, whh, bhh, 0, hs)).relu(), null};
      case "gru": {
        NDArray r = sigmoid(gate(x, wih, bih, 0, hs).add(gate(h, whh, bhh, 0, hs)));
        NDArray z = sigmoid(gate(x, wih, bih, 1, hs).add(gate(h, whh, bhh, 1, hs)));
        NDArray n = tanh(gate(x, wih, bih, 2, hs).add(r.mul(gate(h, whh, bhh, 2, hs))));
        return new NDArray[] {z.neg().add(1).mul(n).add(z.mul(h)), null};
      }
      default: { // lstm: i, f, g, o
        NDArray i = sigmoid(gate(x, wih, bih, 0, hs).add(gate(h, whh, bhh, 0, hs)));
        NDArray f = sigmoid(gate(x, wih, bih, 1, hs).add(gate(h, whh, bhh, 1, hs)));
        NDArray g = tanh(gate(x, wih, bih, 2, hs).add(gate(h, whh, bhh, 2, hs)));
        NDArray o = sigmoid(gate(x, wih, bih, 3, hs).add(gate(h, whh, bhh, 3, hs)));
        NDArray c2 = f.mul(c).add(i.mul(g));
        return new NDArray[] {o.mul(tanh(c2)), c2};
      }
    }
  }

  /** The parameters of layer k of a stack (or of a cell, with suffix ""). */
  private static NDArray[] params(Module m, String suffix) {
    var named = m.namedParameters();
    Value bih = named.get("bias_ih" + suffix);
    Value bhh = named.get("bias_hh" + suffix);
    return new NDArray[] {named.get("weight_ih" + suffix).data(), named.get("weight_hh" + suffix).data(),
        bih == null ? null : bih.data(), bhh == null ? null : bhh.data()};
  }

  /** A stack over [L, N, I]: returns {output [L, N, H], hN [layers, N, H], cN}. */
  private static NDArray[] referenceStack(String kind, Module m, int layers, NDArray x, NDArray h0, NDArray c0) {
    int len = x.shape()[0];
    int n = x.shape()[1];
    NDArray[] hs = new NDArray[layers];
    NDArray[] cs = new NDArray[layers];
    NDArray seq = x;
    for (int k = 0; k < layers; k++) {
      NDArray[] p = params(m, "_l" + k);
      int hidden = p[1].shape()[1];
      NDArray h = h0 == null ? NDArray.zeros(n, hidden) : h0.slice(0, k, k + 1).reshape(n, hidden);
      NDArray c = c0 == null ? NDArray.zeros(n, hidden) : c0.slice(0, k, k + 1).reshape(n, hidden);
      NDArray[] outs = new NDArray[len];
      for (int t = 0; t < len; t++) {
        NDArray[] next = referenceStep(kind, seq.slice(0, t, t + 1).reshape(n, -1), h, c, p);
        h = next[0];
        c = next[1];
        outs[t] = h;
      }
      hs[k] = h;
      cs[k] = c;
      seq = NDArray.stack(0, outs);
    }
    return new NDArray[] {seq, NDArray.stack(0, hs), "lstm".equals(kind) ? NDArray.stack(0, cs) : null};
  }

  // ---------------------------------------------------------------- cells

  @Test
  void cellsFollowPyTorchsEquations() {
    SplittableRandom rng = new SplittableRandom(4);
    NDArray x = wave(0.1, 1, 3, 2);
    NDArray h = wave(0.2, 0.5, 3, 4);
    NDArray c = wave(0.3, 0.5, 3, 4);
    RNNCell rnn = new RNNCell(2, 4, rng);
    assertArrayEquals(referenceStep("tanh", x, h, null, params(rnn, ""))[0].toArray(),
        rnn.forward(Value.of(x), Value.of(h)).data().toArray(), 1e-14);
    RNNCell relu = new RNNCell(2, 4, false, "relu", rng);
    assertEquals(List.of("weight_ih", "weight_hh"), List.copyOf(relu.namedParameters().keySet()));
    assertArrayEquals(referenceStep("relu", x, h, null, params(relu, ""))[0].toArray(),
        relu.forward(Value.of(x), Value.of(h)).data().toArray(), 1e-14);
    GRUCell gru = new GRUCell(2, 4, rng);
    assertArrayEquals(referenceStep("gru", x, h, null, params(gru, ""))[0].toArray(),
        gru.forward(Value.of(x), Value.of(h)).data().toArray(), 1e-14);
    LSTMCell lstm = new LSTMCell(2, 4, rng);
    NDArray[] expected = referenceStep("lstm", x, h, c, params(lstm, ""));
    LSTMCell.State next = lstm.forward(Value.of(x), Value.of(h), Value.of(c));
    assertArrayEquals(expected[0].toArray(), next.h().data().toArray(), 1e-14);
    assertArrayEquals(expected[1].toArray(), next.c().data().toArray(), 1e-14);
    assertEquals(List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh"),
        List.copyOf(lstm.namedParameters().keySet()));
    assertArrayEquals(new int[] {16, 2}, lstm.namedParameters().get("weight_ih").shape());
  }

  @Test
  void cellsAcceptUnbatchedInputsAndZeroStates() {
    GRUCell gru = new GRUCell(2, 3, new SplittableRandom(1));
    NDArray x = wave(0, 1, 2);
    Value unbatched = gru.forward(Value.of(x));
    assertArrayEquals(new int[] {3}, unbatched.shape());
    assertArrayEquals(gru.forward(Value.of(x.reshape(1, 2)), Value.zeros(1, 3)).data().toArray(),
        unbatched.data().toArray(), 0.0);
    LSTMCell lstm = new LSTMCell(2, 3, new SplittableRandom(1));
    LSTMCell.State s = lstm.forward(Value.of(x), Value.zeros(3), null);
    assertArrayEquals(new int[] {3}, s.c().shape());
  }

  @Test
  void initialWeightsAreUniformWithinOneOverRootHidden() {
    LSTM lstm = LSTM.builder(5, 16).numLayers(2).seed(9).build();
    for (Value p : lstm.parameters()) {
      for (double v : p.data().toArray()) {
        assertTrue(Math.abs(v) <= 0.25, "U(-1/4, 1/4) for H = 16");
      }
    }
    double max = lstm.parameters().stream().flatMapToDouble(p -> java.util.Arrays.stream(p.data().toArray()))
        .map(Math::abs).max().orElseThrow();
    assertTrue(max > 0.24, "the whole range is used: " + max);
  }

  // ---------------------------------------------------------------- stacks

  @Test
  void lstmTwoLayersBatchFirstMatchesTheLoopAndTorch() {
    LSTM lstm = LSTM.builder(3, 4).numLayers(2).batchFirst(true).build();
    assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l1", "weight_hh_l1",
        "bias_ih_l1", "bias_hh_l1"), List.copyOf(lstm.namedParameters().keySet()));
    Waves.setWaves(lstm, 0.1, 0.5);
    NDArray x = wave(0.2, 1, 2, 5, 3); // [N=2, L=5, I=3]
    LSTM.Output out = lstm.forward(Value.of(x), null, null);
    assertArrayEquals(new int[] {2, 5, 4}, out.output().shape());
    assertArrayEquals(new int[] {2, 2, 4}, out.hN().shape());
    assertArrayEquals(new int[] {2, 2, 4}, out.cN().shape());
    NDArray[] ref = referenceStack("lstm", lstm, 2, x.transpose(0, 1), null, null);
    assertArrayEquals(ref[0].transpose(0, 1).toArray(), out.output().data().toArray(), 1e-14);
    assertArrayEquals(ref[1].toArray(), out.hN().data().toArray(), 1e-14);
    assertArrayEquals(ref[2].toArray(), out.cN().data().toArray(), 1e-14);
    // reference from torch 1.13: nn.LSTM(3, 4, num_layers=2, batch_first=True), same waves
    assertArrayEquals(new double[] {-0.2573163185974443, 0.19331324004290718, 0.17825622526904047,
        0.1824953631539213}, out.output().data().slice(0, 1, 2).slice(1, 4, 5).toArray(), 1e-13);
    assertArrayEquals(new double[] {0.07956111026669928, 0.15501140667142177, -0.026269925012447896,
        -0.32687280873048996, 0.07907410924163172, 0.1279109040363443, -0.08701012608027774, -0.4457941912535599,
        -0.24567497004595273, 0.17403571625047085, 0.1941120024358533, 0.17336504867491745, -0.2573163185974443,
        0.19331324004290718, 0.17825622526904047, 0.1824953631539213}, out.hN().data().toArray(), 1e-13);
    assertArrayEquals(new double[] {0.27844567360237316, 0.4257638236544553, -0.05688870962832773,
        -0.7718451917758055, 0.1530589467947478, 0.4789027929806885, -0.2735846046764283, -0.677068202311176,
        -0.41313550491708395, 0.3567326665663011, 0.5972851906443991, 0.6820380042491339, -0.4534459872910067,
        0.3812316730301353, 0.5727080905241209, 0.6920580138489681}, out.cN().data().toArray(), 1e-13);
    assertEquals(out.output().data(), lstm.forward(Value.of(x)).data(), "the Module form returns the output");
  }

  @Test
  void gruTwoLayersWithInitialStateMatchesTheLoopAndTorch() {
    GRU gru = GRU.builder(3, 4).numLayers(2).build();
    Waves.setWaves(gru, 0.3, 0.5);
    NDArray x = wave(0.4, 1, 5, 2, 3); // [L=5, N=2, I=3]
    NDArray h0 = wave(0.6, 1, 2, 2, 4);
    RecurrentOutput out = gru.forward(Value.of(x), Value.of(h0));
    NDArray[] ref = referenceStack("gru", gru, 2, x, h0, null);
    assertArrayEquals(ref[0].toArray(), out.output().data().toArray(), 1e-14);
    assertArrayEquals(ref[1].toArray(), out.hN().data().toArray(), 1e-14);
    // reference from torch 1.13: nn.GRU(3, 4, num_layers=2)
    assertArrayEquals(new double[] {-0.16765430406471266, 0.28364678849943964, 0.6098351386344568,
        0.5596040005652274}, out.output().data().slice(0, 4, 5).slice(1, 1, 2).toArray(), 1e-13);
    assertArrayEquals(new double[] {0.5731621836652323, 0.44381056651613127, -0.2914370657129582,
        0.06268736932333396, -0.13642639326073447, 0.5975597421553225, -0.02066155952143342, -0.5505110982511106,
        -0.1516291888680011, 0.23894349461873066, 0.69131046893038, 0.429777268791835, -0.16765430406471266,
        0.28364678849943964, 0.6098351386344568, 0.5596040005652274}, out.hN().data().toArray(), 1e-13);
  }

  @Test
  void rnnReluUnbatchedMatchesTheLoopAndTorch() {
    RNN rnn = RNN.builder(3, 4).numLayers(2).nonlinearity("relu").build();
    Waves.setWaves(rnn, 2.5, 0.5);
    NDArray x = wave(0.7, 1, 5, 3); // unbatched [L, I]
    RecurrentOutput out = rnn.forward(Value.of(x), null);
    assertArrayEquals(new int[] {5, 4}, out.output().shape());
    assertArrayEquals(new int[] {2, 4}, out.hN().shape());
    NDArray[] ref = referenceStack("relu", rnn, 2, x.reshape(5, 1, 3), null, null);
    assertArrayEquals(ref[0].toArray(), out.output().data().toArray(), 1e-14);
    // reference from torch 1.13: nn.RNN(3, 4, num_layers=2, nonlinearity='relu') on an unbatched input
    assertArrayEquals(new double[] {0.0, 0.2580175588157933, 0.0, 1.705944152179772, 2.25128401524995, 0.0,
        1.039978150401161, 0.0}, out.hN().data().toArray(), 1e-13);
    RNN tanh = RNN.builder(3, 4).bias(false).batchFirst(true).seed(3).build();
    NDArray xb = wave(0.1, 1, 2, 6, 3);
    NDArray[] refTanh = referenceStack("tanh", tanh, 1, xb.transpose(0, 1), null, null);
    assertArrayEquals(refTanh[0].transpose(0, 1).toArray(), tanh.forward(Value.of(xb)).data().toArray(), 1e-14);
  }

  @Test
  void dropoutActsBetweenLayersInTrainingOnly() {
    GRU gru = GRU.builder(2, 3).numLayers(2).dropout(0.5).seed(1).build();
    NDArray x = wave(0, 1, 4, 2, 2);
    NDArray a = gru.forward(Value.of(x)).data();
    NDArray b = gru.forward(Value.of(x)).data();
    assertNotEquals(a, b, "fresh masks each call");
    gru.eval();
    NDArray[] ref = referenceStack("gru", gru, 2, x, null, null);
    assertArrayEquals(ref[0].toArray(), gru.forward(Value.of(x)).data().toArray(), 1e-14);
    GRU single = GRU.builder(2, 3).dropout(0.5).seed(1).build(); // one layer: nothing to drop between
    assertEquals(single.forward(Value.of(x)).data(), single.forward(Value.of(x)).data());
  }

  @Test
  void gradientsThroughTimeCheckAgainstFiniteDifferences() {
    NDArray x = wave(0.2, 1, 3, 2, 2);
    NDArray h0 = wave(0.5, 0.5, 2, 2, 3);
    LSTM lstm = LSTM.builder(2, 3).numLayers(2).seed(2).build();
    CHECK.verify(xs -> {
      LSTM.Output o = lstm.forward(xs[0], xs[1], xs[2]);
      return o.output().sum().add(o.cN().mul(0.5).sum());
    }, x, h0, wave(0.9, 0.5, 2, 2, 3));
    CHECK.verifySecondOrder(xs -> lstm.forward(xs[0], null, null).output(), x.slice(0, 0, 2));
    Waves.verifyParameterGradients(lstm, () -> Waves.project(lstm.forward(Value.of(x))), 1e-6);
    GRU gru = GRU.builder(2, 3).seed(3).build();
    CHECK.verify(xs -> gru.forward(xs[0], xs[1]).hN(), x, wave(0.1, 0.5, 1, 2, 3));
    CHECK.verifySecondOrder(xs -> gru.forward(xs[0], xs[1]).output(), x, wave(0.1, 0.5, 1, 2, 3));
    Waves.verifyParameterGradients(gru, () -> Waves.project(gru.forward(Value.of(x))), 1e-6);
    RNN rnn = RNN.builder(2, 3).numLayers(2).seed(4).build();
    CHECK.verify(xs -> rnn.forward(xs[0]), x);
    CHECK.verifySecondOrder(xs -> rnn.forward(xs[0]), x);
    Waves.verifyParameterGradients(rnn, () -> Waves.project(rnn.forward(Value.of(x))), 1e-6);
    RNNCell cell = new RNNCell(2, 3, new SplittableRandom(5));
    CHECK.verifySecondOrder(xs -> cell.forward(xs[0], xs[1]), wave(0, 1, 2, 2), wave(1, 1, 2, 3));
    LSTMCell lcell = new LSTMCell(2, 3, new SplittableRandom(6));
    CHECK.verifySecondOrder(xs -> lcell.forward(xs[0], xs[1], xs[2]).c(), wave(0, 1, 2, 2), wave(1, 1, 2, 3),
        wave(2, 1, 2, 3));
  }

  @Test
  void aSequenceModelOfEmbeddingLstmFlattenLinearTrainsInSequential() {
    SplittableRandom rng = new SplittableRandom(8);
    Sequential model = new Sequential(new Embedding(5, 4, 0, rng), LSTM.builder(4, 6).batchFirst(true).seed(2).build(),
        new Flatten(), new Linear(18, 1, rng));
    // target: whether token 3 occurs before token 4 in a padded sequence of length 3
    Value tokens = Value.of(NDArray.of(new double[][] {{3, 4, 0}, {4, 3, 0}, {1, 3, 4}, {4, 1, 3}, {3, 2, 4},
        {2, 4, 3}}));
    Value target = Value.of(NDArray.of(new double[][] {{1}, {-1}, {1}, {-1}, {1}, {-1}}));
    dev.autograd.nn.optim.Optimizer opt = dev.autograd.nn.optim.Adam.builder(model.parameters()).lr(0.05).build();
    double first = 0;
    double last = 0;
    for (int step = 0; step < 60; step++) {
      model.zeroGrad();
      Value loss = model.forward(tokens).sub(target).square().mean();
      loss.backward();
      opt.step();
      first = step == 0 ? loss.item() : first;
      last = loss.item();
    }
    assertTrue(last < 0.05 * first, "loss " + first + " -> " + last);
    assertTrue(model.toString().contains("LSTM(4, 6, numLayers=1, batchFirst=true"), model.toString());
  }

  @Test
  void rejections() {
    LSTM lstm = LSTM.builder(3, 4).numLayers(2).build();
    assertRejects(() -> lstm.forward(Value.zeros(5, 2, 2)), "LSTM", "[L, N, 3]", "[5, 2, 2]");
    assertRejects(() -> lstm.forward(Value.zeros(5)), "LSTM");
    assertRejects(() -> lstm.forward(Value.zeros(5, 2, 3), Value.zeros(1, 2, 4), null), "initial state",
        "[2, 2, 4]", "[1, 2, 4]");
    assertRejects(() -> new GRUCell(3, 4, new SplittableRandom(1)).forward(Value.zeros(2, 3), Value.zeros(3, 4)),
        "GRUCell", "hidden state", "[2, 4]");
    assertRejects(() -> new RNNCell(3, 4, true, "sigmoid", new SplittableRandom(1)), "'tanh' or 'relu'", "sigmoid");
    assertRejects(() -> GRU.builder(3, 4).nonlinearity("relu"), "option of RNN only");
    assertRejects(() -> RNN.builder(3, 0), "positive");
    assertRejects(() -> RNN.builder(3, 4).numLayers(0), "numLayers");
    assertRejects(() -> RNN.builder(3, 4).dropout(1.5), "[0, 1]");
    assertRejects(() -> lstm.forward(Value.zeros(0, 2, 3)), "empty");
  }
}
