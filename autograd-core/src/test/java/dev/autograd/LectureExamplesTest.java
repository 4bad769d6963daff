package dev.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autograd.array.NDArray;
import org.junit.jupiter.api.Test;

/** Exact numbers from the lecture notes and micrograd's sanity tests, reproduced by the engine. */
class LectureExamplesTest {
  private static final double EXACT = 1e-12;

  @Test
  void microgradSanityCheck() {
    Value x = Value.scalar(-4.0).requiresGrad(true);
    Value z = x.mul(2).add(2).add(x);
    Value q = z.relu().add(z.mul(x));
    Value h = z.mul(z).relu();
    Value y = h.add(q).add(q.mul(x));
    y.backward();
    assertEquals(-20.0, y.item(), EXACT);
    assertEquals(46.0, x.grad().item(), EXACT);
  }

  @Test
  void microgradMoreOps() {
    Value a = Value.scalar(-4.0).requiresGrad(true);
    Value b = Value.scalar(2.0).requiresGrad(true);
    Value c = a.add(b);
    Value d = a.mul(b).add(b.pow(3));
    c = c.add(c.add(1));
    c = c.add(c.add(1).add(a.neg()));
    d = d.add(d.mul(2).add(b.add(a).relu()));
    d = d.add(d.mul(3).add(b.sub(a).relu()));
    Value e = c.sub(d);
    Value f = e.pow(2);
    Value g = f.div(2.0);
    g = g.add(Value.scalar(10.0).div(f));
    g.backward();
    assertEquals(24.704081632653, g.item(), 1e-12);
    assertEquals(138.833819241983, a.grad().item(), 1e-12);
    assertEquals(645.577259475219, b.grad().item(), 1e-12);
  }

  /** Scientific Computing, April 24: the 2-3-2 linear network on the sample (3, -2) -> (1, 4). */
  static final class WorkedExample {
    // rows u1..u3, columns x1, x2; any weights giving u = (7, -22, -3) produce the same gradients
    final Value w1 = Value.of(new double[][] {{1, -2}, {-4, 5}, {-1, 0}}).requiresGrad(true);
    final Value b1 = Value.of(0, 0, 0).requiresGrad(true);
    // rows u1..u3, columns y-hat, z-hat
    final Value w2 = Value.of(new double[][] {{2, -2}, {1, -1}, {4, 5}}).requiresGrad(true);
    final Value b2 = Value.of(-1, 5).requiresGrad(true);

    /** x: [batch, 2]; returns (u, prediction) with u = x·W1ᵀ + b1 and prediction = u·W2 + b2. */
    Value[] forward(Value x) {
      Value u = x.matmul(w1.transpose()).add(b1);
      return new Value[] {u, u.matmul(w2).add(b2)};
    }

    static Value loss(Value prediction, Value target) {
      return prediction.sub(target).pow(2).sum().mul(0.5);
    }
  }

  @Test
  void twoThreeTwoWorkedExampleGivesTheSlideGradients() {
    WorkedExample net = new WorkedExample();
    Value[] fw = net.forward(Value.of(new double[][] {{3, -2}}));
    Value u = fw[0].retainGrad();
    Value prediction = fw[1].retainGrad();
    Value loss = WorkedExample.loss(prediction, Value.of(new double[][] {{1, 4}}));
    loss.backward();

    assertArrayEquals(new double[] {7, -22, -3}, u.data().toArray(), EXACT);
    assertArrayEquals(new double[] {-21, -2}, prediction.data().toArray(), EXACT);
    assertEquals(260.0, loss.item(), EXACT);
    assertArrayEquals(new double[] {-22, -6}, prediction.grad().toArray(), EXACT);
    assertArrayEquals(new double[] {-154, -42, 484, 132, 66, 18}, net.w2.grad().toArray(), EXACT);
    assertArrayEquals(new double[] {-22, -6}, net.b2.grad().toArray(), EXACT);
    assertArrayEquals(new double[] {-32, -16, -118}, u.grad().toArray(), EXACT);
    assertArrayEquals(new double[] {-96, 64, -48, 32, -354, 236}, net.w1.grad().toArray(), EXACT);
    assertArrayEquals(new double[] {-32, -16, -118}, net.b1.grad().toArray(), EXACT);
  }

  @Test
  void lectureBackpropRulesHold() {
    WorkedExample net = new WorkedExample();
    Value x = Value.of(new double[][] {{3, -2}});
    Value[] fw = net.forward(x);
    Value u = fw[0].retainGrad();
    Value prediction = fw[1].retainGrad();
    WorkedExample.loss(prediction, Value.of(new double[][] {{1, 4}})).backward();
    NDArray dValuesOut = prediction.grad();
    // d-values = weights · d-values
    assertArrayEquals(dValuesOut.matmul(net.w2.data().transpose()).toArray(), u.grad().toArray(), EXACT);
    // d-weights = d-values · values
    assertArrayEquals(u.grad().transpose().matmul(x.data()).toArray(), net.w1.grad().toArray(), EXACT);
    // d-biases = d-values
    assertArrayEquals(u.grad().toArray(), net.b1.grad().toArray(), EXACT);
  }

  @Test
  void batchedWorkedExampleSumsOverSamplesAndBiasGradientsAreColumnSums() {
    double[][] xs = {{3, -2}, {1, 0.5}, {-2, 4}};
    double[][] ts = {{1, 4}, {0, -1}, {2, 2}};
    WorkedExample batched = new WorkedExample();
    Value[] fw = batched.forward(Value.of(xs));
    Value prediction = fw[1].retainGrad();
    WorkedExample.loss(prediction, Value.of(ts)).backward();

    WorkedExample single = new WorkedExample();
    for (int i = 0; i < xs.length; i++) {
      Value[] f1 = single.forward(Value.of(new double[][] {xs[i]}));
      WorkedExample.loss(f1[1], Value.of(new double[][] {ts[i]})).backward(); // accumulates across samples
    }
    assertArrayEquals(single.w1.grad().toArray(), batched.w1.grad().toArray(), 1e-9);
    assertArrayEquals(single.w2.grad().toArray(), batched.w2.grad().toArray(), 1e-9);
    assertArrayEquals(single.b1.grad().toArray(), batched.b1.grad().toArray(), 1e-9);
    assertArrayEquals(prediction.grad().sum(new int[] {0}, false).toArray(), batched.b2.grad().toArray(), 1e-12);
    // the first sample alone still contributes the slide's output d-values
    assertArrayEquals(new double[] {-22, -6}, prediction.grad().slice(0, 0, 1).toArray(), EXACT);
  }

  @Test
  void sigmoidAndTanhDerivativesMatchTheirClosedForms() {
    for (double x : new double[] {-30, -2.5, -0.3, 0, 0.7, 4, 30}) {
      Value v = Value.scalar(x).requiresGrad(true);
      Value s = v.sigmoid();
      s.backward();
      assertEquals(s.item() * (1 - s.item()), v.grad().item(), 1e-15);
      Value w = Value.scalar(x).requiresGrad(true);
      Value t = w.tanh();
      t.backward();
      assertEquals(1 - t.item() * t.item(), w.grad().item(), 1e-15);
    }
  }

  @Test
  void softmaxCrossEntropyJointDerivativeIsPredictionMinusTarget() {
    Value logits = Value.of(new double[][] {{2.0, -1.0, 0.5}, {0.1, 0.2, 3.0}}).requiresGrad(true);
    NDArray targets = NDArray.of(new double[][] {{0, 0, 1}, {1, 0, 0}});
    Value loss = logits.logSoftmax(1).mul(Value.of(targets)).sum().neg();
    loss.backward();
    NDArray a = logits.data().sub(logits.data().max(new int[] {1}, true)).exp();
    a = a.div(a.sum(new int[] {1}, true));
    assertArrayEquals(a.sub(targets).toArray(), logits.grad().toArray(), 1e-12);
  }

  /** KAIST CoE202: sigmoid output with binary cross-entropy, dL/dŷ · dŷ/dz = ŷ − y. */
  @Test
  void sigmoidWithBinaryCrossEntropySimplifiesToPredictionMinusLabel() {
    for (double y : new double[] {0, 1}) {
      Value z = Value.scalar(0.8).requiresGrad(true);
      Value yHat = z.sigmoid();
      Value loss = yHat.log().mul(y).add(yHat.neg().add(1).log().mul(1 - y)).neg();
      loss.backward();
      assertEquals(yHat.item() - y, z.grad().item(), 1e-12);
    }
  }

  /**
   * KAIST CoE202: a 2-2-1 network with sigmoid activations and BCE, in the slides' column-vector notation
   * z = W·x + b. The engine's gradients must equal the hand formulas: δ₂ = ŷ − y, dW₂ = δ₂·x₂ᵀ, δ₁ = (W₂ᵀ·δ₂) ⊙ σ'(z₁),
   * dW₁ = δ₁·x₁ᵀ.
   */
  @Test
  void kaistTwoTwoOneNetworkMatchesLayerByLayerBackprop() {
    NDArray x1 = NDArray.of(new double[][] {{0.6}, {-1.2}});
    double y = 1.0;
    Value w1 = Value.of(new double[][] {{0.3, -0.8}, {1.1, 0.4}}).requiresGrad(true);
    Value b1 = Value.of(new double[][] {{0.1}, {-0.2}}).requiresGrad(true);
    Value w2 = Value.of(new double[][] {{-0.7, 0.9}}).requiresGrad(true);
    Value b2 = Value.of(new double[][] {{0.05}}).requiresGrad(true);
    Value z1 = w1.matmul(Value.of(x1)).add(b1);
    Value x2 = z1.sigmoid();
    Value z2 = w2.matmul(x2).add(b2).retainGrad();
    Value yHat = z2.sigmoid();
    Value loss = yHat.log().mul(y).add(yHat.neg().add(1).log().mul(1 - y)).neg().sum();
    loss.backward();

    NDArray delta2 = yHat.data().sub(y);                                   // dL/dz2 = ŷ − y
    assertArrayEquals(delta2.toArray(), z2.grad().toArray(), 1e-12);
    assertArrayEquals(delta2.matmul(x2.data().transpose()).toArray(), w2.grad().toArray(), 1e-12);
    assertArrayEquals(delta2.toArray(), b2.grad().toArray(), 1e-12);
    NDArray s = x2.data();
    NDArray delta1 = w2.data().transpose().matmul(delta2).mul(s.mul(s.neg().add(1)));
    assertArrayEquals(delta1.matmul(x1.transpose()).toArray(), w1.grad().toArray(), 1e-12);
    assertArrayEquals(delta1.toArray(), b1.grad().toArray(), 1e-12);
  }
}
