package dev.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.Value;
import dev.autograd.array.NDArray;
import dev.autograd.nn.optim.Adam;
import dev.autograd.nn.optim.GradClip;
import dev.autograd.nn.optim.LrSchedule;
import dev.autograd.nn.optim.Optimizer;
import dev.autograd.nn.optim.RMSProp;
import dev.autograd.nn.optim.SGD;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Update rules against steps computed by hand from PyTorch's documented formulas. */
class OptimizerTest {

  /** A parameter p with loss Σ c·p, so the gradient is the constant c at every step. */
  private static Value param(double... values) {
    return Value.of(values).requiresGrad(true);
  }

  private static void stepWithGradient(Optimizer opt, Value p, double... grad) {
    p.setGrad(NDArray.of(grad));
    opt.step();
  }

  @Test
  void plainSgd() {
    Value p = param(1.0, -2.0);
    SGD sgd = new SGD(List.of(p), 0.1);
    stepWithGradient(sgd, p, 0.5, -1.0);
    assertArrayEquals(new double[] {0.95, -1.9}, p.data().toArray(), 1e-15);
  }

  @Test
  void sgdMomentumNesterovAndWeightDecay() {
    Value p = param(1.0);
    SGD sgd = SGD.builder(List.of(p)).lr(0.1).momentum(0.9).build();
    stepWithGradient(sgd, p, 1.0); // b = 1, p = 1 - 0.1
    stepWithGradient(sgd, p, 1.0); // b = 0.9 + 1 = 1.9, p = 0.9 - 0.19
    assertEquals(0.71, p.data().item(), 1e-15);

    Value q = param(1.0);
    SGD nesterov = SGD.builder(List.of(q)).lr(0.1).momentum(0.9).nesterov(true).build();
    stepWithGradient(nesterov, q, 1.0); // b = 1, g = 1 + 0.9 = 1.9, q = 1 - 0.19
    stepWithGradient(nesterov, q, 1.0); // b = 1.9, g = 1 + 1.71 = 2.71, q = 0.81 - 0.271
    assertEquals(0.539, q.data().item(), 1e-15);

    Value r = param(2.0);
    SGD decay = SGD.builder(List.of(r)).lr(0.1).weightDecay(0.5).build();
    stepWithGradient(decay, r, 1.0); // g = 1 + 0.5·2 = 2, r = 2 - 0.2
    assertEquals(1.8, r.data().item(), 1e-15);
  }

  @Test
  void adamFirstAndSecondStep() {
    Value p = param(1.0);
    Adam adam = new Adam(List.of(p), 0.1);
    stepWithGradient(adam, p, 0.5);
    // m = 0.05, v = 0.00025; m̂ = 0.5, v̂ = 0.25; p = 1 - 0.1·0.5/(0.5 + 1e-8)
    assertEquals(1 - 0.1 * 0.5 / (0.5 + 1e-8), p.data().item(), 1e-15);
    stepWithGradient(adam, p, -1.0);
    double m = 0.9 * 0.05 + 0.1 * -1.0;
    double v = 0.999 * 0.00025 + 0.001 * 1.0;
    double expected = (1 - 0.1 * 0.5 / (0.5 + 1e-8)) - 0.1 * (m / (1 - 0.81)) / (Math.sqrt(v / (1 - 0.999 * 0.999))
        + 1e-8);
    assertEquals(expected, p.data().item(), 1e-15);
  }

  @Test
  void adamWeightDecayIsCoupledAndAdamWIsDecoupled() {
    Value a = param(2.0);
    Adam coupled = Adam.builder(List.of(a)).lr(0.1).betas(0.9, 0.999).eps(1e-8).weightDecay(0.5).build();
    stepWithGradient(coupled, a, 0.0); // g = 0 + 0.5·2 = 1: a normal Adam step of size lr
    assertEquals(2 - 0.1 * 1 / (1 + 1e-8), a.data().item(), 1e-15);
    Value w = param(2.0);
    Adam decoupled = Adam.adamW(List.of(w)).lr(0.1).betas(0.9, 0.999).eps(1e-8).weightDecay(0.5).build();
    stepWithGradient(decoupled, w, 1.0); // w·(1 - 0.05) then the Adam step on g = 1
    assertEquals(2 * 0.95 - 0.1 * 1 / (1 + 1e-8), w.data().item(), 1e-15);
  }

  @Test
  void rmsPropWithAndWithoutMomentum() {
    Value p = param(1.0);
    RMSProp rms = new RMSProp(List.of(p), 0.01);
    stepWithGradient(rms, p, 2.0); // v = 0.01·4 = 0.04; p = 1 - 0.01·2/(0.2 + 1e-8)
    assertEquals(1 - 0.01 * 2 / (0.2 + 1e-8), p.data().item(), 1e-15);
    Value q = param(1.0);
    RMSProp withMomentum = RMSProp.builder(List.of(q)).lr(0.01).alpha(0.9).eps(1e-8).momentum(0.5).weightDecay(0).build();
    stepWithGradient(withMomentum, q, 1.0); // v = 0.1, b = 1/√0.1
    double b1 = 1 / (Math.sqrt(0.1) + 1e-8);
    stepWithGradient(withMomentum, q, 1.0); // v = 0.19, b = 0.5·b1 + 1/√0.19
    double b2 = 0.5 * b1 + 1 / (Math.sqrt(0.19) + 1e-8);
    assertEquals(1 - 0.01 * b1 - 0.01 * b2, q.data().item(), 1e-14);
  }

  @Test
  void parametersWithoutGradientsAreLeftAlone() {
    Value used = param(1.0);
    Value unused = param(5.0);
    SGD sgd = new SGD(List.of(used, unused), 0.1);
    stepWithGradient(sgd, used, 1.0);
    assertEquals(5.0, unused.data().item());
  }

  @Test
  void schedules() {
    assertEquals(0.1, LrSchedule.stepDecay(0.1, 10, 0.5).rate(9), 1e-15);
    assertEquals(0.05, LrSchedule.stepDecay(0.1, 10, 0.5).rate(10), 1e-15);
    assertEquals(0.1 * Math.pow(0.9, 3), LrSchedule.exponential(0.1, 0.9).rate(3), 1e-15);
    LrSchedule cos = LrSchedule.cosine(1.0, 0.0, 100);
    assertEquals(1.0, cos.rate(0), 1e-15);
    assertEquals(0.5, cos.rate(50), 1e-15);
    assertEquals(0.0, cos.rate(100), 1e-15);
    LrSchedule warm = LrSchedule.linearWarmup(LrSchedule.constant(0.4), 4);
    assertArrayEquals(new double[] {0.1, 0.2, 0.3, 0.4, 0.4},
        java.util.stream.IntStream.range(0, 5).mapToDouble(warm::rate).toArray(), 1e-15);
  }

  @Test
  void clippingByGlobalNormAndByValue() {
    Value a = param(0, 0);
    Value b = param(0);
    a.setGrad(NDArray.of(3, 0));
    b.setGrad(NDArray.of(4));
    double norm = GradClip.byGlobalNorm(List.of(a, b), 1.0);
    assertEquals(5.0, norm, 1e-15);
    double scale = 1.0 / (5.0 + 1e-6);
    assertArrayEquals(new double[] {3 * scale, 0}, a.grad().toArray(), 1e-15);
    assertArrayEquals(new double[] {4 * scale}, b.grad().toArray(), 1e-15);
    assertEquals(1.0, GradClip.byGlobalNorm(List.of(a, b), 10.0), 1e-6); // under the limit: unchanged
    a.setGrad(NDArray.of(-7, 0.2));
    GradClip.byValue(List.of(a), 0.5);
    assertArrayEquals(new double[] {-0.5, 0.2}, a.grad().toArray());
  }

  @Test
  void savedStateResumesIdentically() {
    Function<Value, Optimizer> make = p -> Adam.adamW(List.of(p)).lr(0.05).betas(0.9, 0.99).eps(1e-8).weightDecay(0.01).build();
    Value reference = param(1.0, -1.0);
    Optimizer refOpt = make.apply(reference);
    for (int i = 0; i < 3; i++) {
      stepWithGradient(refOpt, reference, 0.3 * i, -0.2);
    }
    Value resumed = Value.of(reference.data().copy()).requiresGrad(true); // data() is live: copy for a snapshot
    Optimizer resumedOpt = make.apply(resumed);
    resumedOpt.loadStateDict(refOpt.stateDict());
    assertEquals(3, resumedOpt.stepCount());
    stepWithGradient(refOpt, reference, 1.0, 1.0);
    stepWithGradient(resumedOpt, resumed, 1.0, 1.0);
    assertArrayEquals(reference.data().toArray(), resumed.data().toArray(), 0.0);
  }

  @Test
  void badHyperparametersAndStatesAreRejected() {
    Value p = param(1.0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p), -1));
    assertTrue(e.getMessage().contains("learning rate"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SGD.builder(List.of(p)).lr(0.1).momentum(1.5).build());
    assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(), 0.1));
    SGD sgd = SGD.builder(List.of(p)).lr(0.1).momentum(0.9).build();
    IllegalArgumentException s = assertThrows(IllegalArgumentException.class, () -> sgd.loadStateDict(
        java.util.Map.of("step", NDArray.scalar(1), "lr", NDArray.scalar(0.1), "momentum.0", NDArray.of(1, 2))));
    assertTrue(s.getMessage().contains("momentum.0") && s.getMessage().contains("[2]"), s.getMessage());
  }
}
