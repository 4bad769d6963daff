package dev.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.array.NDArray;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class EngineTest {

  @Test
  void leavesAccumulateAcrossBackwardCallsUntilZeroGrad() {
    Value x = Value.scalar(3.0).requiresGrad(true);
    x.mul(x).backward();
    x.mul(x).backward();
    assertEquals(12.0, x.grad().item());
    x.zeroGrad();
    assertNull(x.grad());
    x.mul(2).backward();
    assertEquals(2.0, x.grad().item());
  }

  @Test
  void intermediatesKeepGradientsOnlyWhenRetained() {
    Value x = Value.scalar(2.0).requiresGrad(true);
    Value kept = x.mul(3).retainGrad();
    Value dropped = kept.exp();
    dropped.mul(1.0).backward();
    assertEquals(Math.exp(6.0), kept.grad().item(), 1e-9);
    assertNull(dropped.grad());
  }

  @Test
  void branchesSumTheirGradients() {
    Value a = Value.scalar(5.0).requiresGrad(true);
    Value y = a.mul(a).add(a).add(a.mul(2)); // a² + 3a
    y.backward();
    assertEquals(13.0, a.grad().item());
  }

  @Test
  void nonScalarOutputNeedsASeed() {
    Value x = Value.of(1, 2, 3).requiresGrad(true);
    Value y = x.mul(2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, y::backward);
    assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("seed"), e.getMessage());
    y.backward(NDArray.of(1, 0, -1));
    assertArrayEquals(new double[] {2, 0, -2}, x.grad().toArray());
  }

  @Test
  void seedOfTheWrongShapeIsRejected() {
    Value y = Value.of(1, 2).requiresGrad(true).mul(2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> y.backward(NDArray.of(1, 2, 3)));
    assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[2]"), e.getMessage());
  }

  @Test
  void secondBackwardThroughAReleasedGraphIsAnError() {
    Value x = Value.scalar(2.0).requiresGrad(true);
    Value y = x.exp().mul(x);
    y.backward();
    IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
    assertTrue(e.getMessage().contains("retainGraph"), e.getMessage());
  }

  @Test
  void retainGraphAllowsASecondBackward() {
    Value x = Value.scalar(2.0).requiresGrad(true);
    Value y = x.pow(3);
    y.backward(NDArray.scalar(1.0), true);
    y.backward(NDArray.scalar(1.0), true);
    assertEquals(24.0, x.grad().item());
  }

  @Test
  void backwardOnAConstantIsAClearError() {
    Value c = Value.scalar(1.0).mul(2);
    IllegalStateException e = assertThrows(IllegalStateException.class, c::backward);
    assertTrue(e.getMessage().contains("requiresGrad"), e.getMessage());
  }

  @Test
  void requiresGradIsOnlyForLeaves() {
    Value y = Value.scalar(1.0).requiresGrad(true).mul(2);
    assertThrows(IllegalStateException.class, () -> y.requiresGrad(true));
  }

  @Test
  void noGradRecordsNothingAndRestoresTheMode() {
    Value x = Value.scalar(1.0).requiresGrad(true);
    Value y;
    try (ModeScope s = Autograd.noGrad()) {
      assertFalse(Autograd.isGradEnabled());
      y = x.mul(2);
      try (ModeScope inner = Autograd.enableGrad()) {
        assertTrue(x.mul(2).requiresGrad());
      }
      assertFalse(Autograd.isGradEnabled());
    }
    assertTrue(Autograd.isGradEnabled());
    assertFalse(y.requiresGrad());
    assertTrue(y.parents().isEmpty());
  }

  @Test
  void noGradIsThreadConfined() throws Exception {
    try (ModeScope s = Autograd.noGrad()) {
      boolean otherThread = CompletableFuture.supplyAsync(Autograd::isGradEnabled).get();
      assertTrue(otherThread);
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> CompletableFuture.runAsync(s::close).get());
      assertTrue(e.getCause() instanceof IllegalStateException);
    }
  }

  @Test
  void detachCutsTheGraph() {
    Value x = Value.scalar(3.0).requiresGrad(true);
    Value y = x.mul(x.detach());
    y.backward();
    assertEquals(3.0, x.grad().item());
  }

  @Test
  void secondDerivativeOfCubeAtTwoIsTwelve() {
    Value x = Value.scalar(2.0).requiresGrad(true);
    Value y = x.pow(3);
    Value dy = Autograd.grad(y, x, true, true);
    assertEquals(12.0, dy.item(), 1e-12);
    Value d2y = Autograd.grad(dy, x);
    assertEquals(12.0, d2y.item(), 1e-12);
    assertNull(x.grad(), "Autograd.grad must not touch grad()");
  }

  @Test
  void hessianVectorProductMatchesTheAnalyticHessian() {
    // f(x) = Σ x_i² x_{i+1} + Σ exp(x_i): H has 2x_{i+1}+exp on the diagonal chain
    NDArray x0 = NDArray.of(0.5, -1.0, 2.0);
    Value x = Value.of(x0).requiresGrad(true);
    Value f = x.slice(0, 0, 2).pow(2).mul(x.slice(0, 1, 3)).sum().add(x.exp().sum());
    Value g = Autograd.grad(f, x, true, true);
    NDArray v = NDArray.of(1.0, 2.0, -1.0);
    Value hv = Autograd.grad(List.of(g), List.of(x), List.of(Value.of(v)), false, false).get(0);
    double[] xs = x0.toArray();
    double[][] h = new double[3][3];
    for (int i = 0; i < 3; i++) {
      h[i][i] = Math.exp(xs[i]);
    }
    for (int i = 0; i < 2; i++) {
      h[i][i] += 2 * xs[i + 1];
      h[i][i + 1] += 2 * xs[i];
      h[i + 1][i] += 2 * xs[i];
    }
    double[] expected = NDArray.of(h).matmul(v).toArray();
    assertArrayEquals(expected, hv.data().toArray(), 1e-12);
  }

  @Test
  void unusedInputsGetZeroGradients() {
    Value x = Value.scalar(1.0).requiresGrad(true);
    Value unused = Value.of(1, 2).requiresGrad(true);
    List<Value> g = Autograd.grad(x.mul(3), List.of(x, unused));
    assertEquals(3.0, g.get(0).item());
    assertArrayEquals(new double[] {0, 0}, g.get(1).data().toArray());
  }

  @Test
  void millionNodeChainDoesNotOverflowTheStack() {
    Value x = Value.scalar(1.0).requiresGrad(true);
    Value y = x;
    for (int i = 0; i < 1_000_000; i++) {
      y = y.add(1e-6);
    }
    y.backward();
    assertEquals(2.0, y.item(), 1e-6);
    assertEquals(1.0, x.grad().item());
  }

  @Test
  void anomalyModeNamesTheForwardOpAndCallSite() {
    Value x = Value.of(1.0, -1.0).requiresGrad(true);
    try (ModeScope s = Autograd.detectAnomaly()) {
      AnomalyException e = assertThrows(AnomalyException.class, () -> x.log());
      assertTrue(e.getMessage().contains("'log'"), e.getMessage());
      assertTrue(e.getMessage().contains("EngineTest"), e.getMessage());
    }
  }

  @Test
  void anomalyModeCatchesNonFiniteGradientsInBackward() {
    Value x = Value.scalar(0.0).requiresGrad(true);
    try (ModeScope s = Autograd.detectAnomaly()) {
      Value y = x.sqrt(); // finite forward, infinite derivative at 0
      AnomalyException e = assertThrows(AnomalyException.class, () -> y.backward());
      assertTrue(e.getMessage().contains("'sqrt'") && e.getMessage().contains("EngineTest"), e.getMessage());
    }
  }

  @Test
  void withoutAnomalyModeNonFiniteValuesPassThrough() {
    Value x = Value.scalar(-1.0).requiresGrad(true);
    assertTrue(Double.isNaN(x.log().item()));
  }

  @Test
  void toDotDescribesEveryValueAndOp() {
    Value a = Value.scalar(2.0).requiresGrad(true).label("a");
    Value b = Value.scalar(-3.0).requiresGrad(true).label("b");
    Value c = a.mul(b).label("c");
    c.backward();
    String dot = c.toDot();
    assertTrue(dot.startsWith("digraph"), dot);
    assertTrue(dot.contains("a | data 2.0000 | grad -3.0000"), dot);
    assertTrue(dot.contains("b | data -3.0000 | grad 2.0000"), dot);
    assertTrue(dot.contains("label=\"mul\""), dot);
    assertEquals(3, dot.split("shape=record").length - 1);
  }
}
