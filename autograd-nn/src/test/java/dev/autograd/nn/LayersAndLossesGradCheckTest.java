package dev.autograd.nn;

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
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Every layer and loss against finite differences, including extreme logits. */
class LayersAndLossesGradCheckTest {
  private static final GradCheck CHECK = GradCheck.create();
  private static final SplittableRandom RNG = new SplittableRandom(11);

  private static NDArray r(int... shape) {
    return NDArray.uniform(RNG, -2, 2, shape);
  }

  @Test
  void linearWithAndWithoutBias() {
    for (boolean bias : new boolean[] {true, false}) {
      Linear layer = new Linear(3, 2, bias, Init.xavierUniform(), Init.zeros(), new SplittableRandom(1));
      CHECK.verify(xs -> layer.forward(xs[0]), r(4, 3));
      CHECK.verifySecondOrder(xs -> layer.forward(xs[0]).tanh(), r(4, 3));
      CHECK.verify(xs -> layer.forward(xs[0]), r(2, 5, 3)); // batched leading axes
    }
  }

  @Test
  void linearParametersGetGradientsThroughTheLayer() {
    Linear layer = new Linear(3, 2, new SplittableRandom(2));
    NDArray x = r(5, 3);
    layer.forward(Value.of(x)).pow(2).sum().backward();
    // analytic: dL/dW = 2·yᵀ·x, dL/db = 2·Σ y
    NDArray y = x.matmul(layer.weight().data().transpose()).add(layer.bias().data());
    assertArrayEquals(y.transpose().matmul(x).mul(2).toArray(), layer.weight().grad().toArray(), 1e-12);
    assertArrayEquals(y.sum(new int[] {0}, false).mul(2).toArray(), layer.bias().grad().toArray(), 1e-12);
  }

  @Test
  void activationModules() {
    List<Supplier<Module>> all = List.of(Activations.ReLU::new, () -> new Activations.LeakyReLU(0.1),
        Activations.Sigmoid::new, Activations.Tanh::new, Activations.Softmax::new, Activations.GELU::new);
    for (Supplier<Module> make : all) {
      Module m = make.get();
      NDArray away = r(3, 4).abs().add(0.1).mul(NDArray.of(1, -1, 1, -1)); // no samples at relu's kink
      CHECK.verify(xs -> m.forward(xs[0]), away);
      CHECK.verifySecondOrder(xs -> m.forward(xs[0]), away);
    }
  }

  @Test
  void geluMatchesItsFormulaAndKnownValues() {
    double[] x = {0.0, 1.0, -1.0, 3.0};
    Value y = new Activations.GELU("tanh").forward(Value.of(x));
    for (int i = 0; i < x.length; i++) {
      double expected = 0.5 * x[i] * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x[i] + 0.044715 * Math.pow(x[i], 3))));
      assertEquals(expected, y.data().get(i), 1e-15);
    }
    assertEquals(0.841192, y.data().get(1), 1e-6); // PyTorch gelu(1.0, approximate='tanh')
  }

  @Test
  void dropoutIsIdentityInEvalAndScalesInTraining() {
    Dropout d = new Dropout(0.5, 3);
    NDArray x = NDArray.ones(1000);
    double[] trained = d.forward(Value.of(x)).data().toArray();
    long zeros = java.util.Arrays.stream(trained).filter(v -> v == 0).count();
    assertTrue(zeros > 400 && zeros < 600, "about half dropped: " + zeros);
    assertTrue(java.util.Arrays.stream(trained).allMatch(v -> v == 0 || v == 2.0));
    d.eval();
    assertEquals(x, d.forward(Value.of(x)).data());
    Dropout same = new Dropout(0.5, 3);
    assertArrayEquals(trained, same.forward(Value.of(x)).data().toArray(), "same seed, same mask");
    // the gradient flows through kept elements only, scaled like the forward
    Dropout g = new Dropout(0.3, 9);
    Value in = Value.of(r(50)).requiresGrad(true);
    Value out = g.forward(in);
    out.sum().backward();
    assertArrayEquals(out.data().div(in.data()).toArray(), in.grad().toArray(), 1e-12);
  }

  @Test
  void regressionLosses() {
    for (Reduction red : new Reduction[] {Reduction.NONE, Reduction.MEAN, Reduction.SUM}) {
      CHECK.verify(xs -> Losses.mse(xs[0], xs[1], red), r(4, 2), r(4, 2));
      CHECK.verify(xs -> Losses.l1(xs[0], xs[1], red), NDArray.of(1, -2, 3), NDArray.of(0.5, 0.5, 0.5));
      CHECK.verifySecondOrder(xs -> Losses.mse(xs[0], xs[1], red), r(3), r(3));
    }
    assertEquals(2.5, Losses.mse(Value.of(1, 2), Value.of(0, 4)).item(), 1e-15);
    assertEquals(1.5, Losses.l1(Value.of(1, 2), Value.of(0, 4)).item(), 1e-15);
  }

  @Test
  void binaryCrossEntropyOnProbabilitiesAndLogits() {
    NDArray p = NDArray.of(0.1, 0.5, 0.9, 0.3);
    NDArray t = NDArray.of(0, 1, 1, 0);
    CHECK.verify(xs -> Losses.bce(xs[0], Value.of(t)), p);
    CHECK.verify(xs -> Losses.bceWithLogits(xs[0], Value.of(t)), r(4));
    CHECK.verifySecondOrder(xs -> Losses.bceWithLogits(xs[0], Value.of(t)), r(4));
    // the two agree where both are exact
    NDArray logits = NDArray.of(-2, 0.5, 3, -0.1);
    assertEquals(Losses.bce(Value.of(logits.sigmoid()), Value.of(t)).item(),
        Losses.bceWithLogits(Value.of(logits), Value.of(t)).item(), 1e-12);
    // PyTorch's clamp: certainty in the wrong class costs 100 per element, never infinity or NaN
    Value probabilities = Value.of(0.0, 1.0).requiresGrad(true);
    Value loss = Losses.bce(probabilities, Value.of(1.0, 0.0), Reduction.SUM);
    loss.backward();
    assertEquals(200.0, loss.item(), 1e-9);
    assertTrue(probabilities.grad().allFinite());
  }

  @Test
  void extremeLogitsGiveFiniteLossesAndGradients() {
    Value logits = Value.of(new double[][] {{1000, -1000, 0}, {-1000, 1000, 999}}).requiresGrad(true);
    Value ce = Losses.crossEntropy(logits, new int[] {1, 0}, 0.1, Reduction.MEAN);
    ce.backward();
    assertTrue(Double.isFinite(ce.item()) && logits.grad().allFinite(), ce + " " + logits.grad());
    // by hand: row 0 has log-probabilities (0, -2000, -1000); row 1 is shifted by lse = 1000 + log(1 + 1/e)
    double lse = 1000 + Math.log1p(Math.exp(-1));
    double row0 = 0.9 * 2000 + 0.1 / 3 * 3000;
    double row1 = 0.9 * (1000 + lse) + 0.1 / 3 * ((1000 + lse) + (lse - 1000) + (lse - 999));
    assertEquals((row0 + row1) / 2, ce.item(), 1e-9);
    Value z = Value.of(1000, -1000, 1000, -1000).requiresGrad(true);
    Value bce = Losses.bceWithLogits(z, Value.of(1, 0, 0, 1), Reduction.SUM);
    bce.backward();
    assertEquals(2000.0, bce.item(), 1e-9);
    assertArrayEquals(new double[] {0, 0, 1, -1}, z.grad().toArray(), 1e-12);
  }

  @Test
  void classificationLosses() {
    int[] labels = {2, 0, 1};
    for (double smoothing : new double[] {0, 0.2}) {
      CHECK.verify(xs -> Losses.crossEntropy(xs[0], labels, smoothing, Reduction.MEAN), r(3, 4));
      CHECK.verifySecondOrder(xs -> Losses.crossEntropy(xs[0], labels, smoothing, Reduction.SUM), r(3, 4));
    }
    CHECK.verify(xs -> Losses.nll(xs[0].logSoftmax(1), labels), r(3, 4));
    NDArray logits = r(3, 4);
    assertEquals(Losses.crossEntropy(Value.of(logits), labels).item(),
        Losses.nll(Value.of(logits).logSoftmax(1), labels).item(), 1e-12);
    NDArray scores = NDArray.of(0.3, -2, 1.5, 0.2);
    CHECK.verify(xs -> Losses.hinge(xs[0], Value.of(1, -1, -1, 1)), scores);
    assertEquals((0.7 + 0 + 2.5 + 0.8) / 4, Losses.hinge(Value.of(scores), Value.of(1, -1, -1, 1)).item(), 1e-12);
  }

  @Test
  void lossesRejectBadInput() {
    IllegalArgumentException e1 = assertThrows(IllegalArgumentException.class,
        () -> Losses.crossEntropy(Value.of(r(2, 3)), new int[] {0, 3}));
    assertTrue(e1.getMessage().contains("label 3") && e1.getMessage().contains("[0, 3)"), e1.getMessage());
    IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
        () -> Losses.mse(Value.of(r(2, 3)), Value.of(r(3, 2))));
    assertTrue(e2.getMessage().contains("mse") && e2.getMessage().contains("[2, 3]"), e2.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Losses.bce(Value.of(1.5), Value.of(1.0)));
    assertThrows(IllegalArgumentException.class, () -> Losses.hinge(Value.of(1.0), Value.of(0.0)));
    assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(Value.of(r(2, 3)), new int[] {0}));
  }

  @Test
  void modulesNameParametersHierarchicallyAndSummarise() {
    MLP net = MLP.builder().sizes(2, 16, 16, 1).seed(42).build();
    assertEquals(List.of("layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias", "layers.4.weight",
        "layers.4.bias"), List.copyOf(net.namedParameters().keySet()));
    assertEquals(2 * 16 + 16 + 16 * 16 + 16 + 16 + 1, net.parameterCount());
    String summary = net.toString();
    assertTrue(summary.contains("(0): Linear(2 -> 16, bias)  [48 params]"), summary);
    assertTrue(summary.contains("Trainable parameters: 337"), summary);
    MLP twin = MLP.builder().sizes(2, 16, 16, 1).seed(42).build();
    assertEquals(net.stateDict(), twin.stateDict(), "same seed, same network");
    assertNotEquals(net.stateDict(), MLP.builder().sizes(2, 16, 16, 1).seed(43).build().stateDict());
    net.eval();
    assertTrue(!net.layers().get(1).isTraining());
  }

  @Test
  void initSchemesHaveTheirVariances() {
    SplittableRandom rng = new SplittableRandom(5);
    int fanIn = 400;
    int fanOut = 200;
    double[] kaiming = Init.kaimingNormal().sample(rng, fanIn, fanOut, 200, 400).toArray();
    double[] xavier = Init.xavierUniform().sample(rng, fanIn, fanOut, 200, 400).toArray();
    assertEquals(2.0 / fanIn, variance(kaiming), 0.05 * 2.0 / fanIn);
    assertEquals(2.0 / (fanIn + fanOut), variance(xavier), 0.05 * 2.0 / (fanIn + fanOut));
    double bound = Math.sqrt(6.0 / fanIn);
    assertTrue(java.util.Arrays.stream(Init.kaimingUniform().sample(rng, fanIn, fanOut, 100).toArray())
        .allMatch(v -> Math.abs(v) <= bound));
  }

  private static double variance(double[] d) {
    double mean = java.util.Arrays.stream(d).average().orElseThrow();
    return java.util.Arrays.stream(d).map(v -> (v - mean) * (v - mean)).average().orElseThrow();
  }
}
