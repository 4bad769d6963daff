package dev.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.array.DType;
import dev.autograd.array.NDArray;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Graphs in float32 and across dtypes: conversion gradients, promotion, gradient dtypes, GradCheck's upcast. */
class Float32GraphTest {
  private static final DType F32 = DType.FLOAT32;
  private static final DType F64 = DType.FLOAT64;
  private final SplittableRandom rng = new SplittableRandom(5);

  private Value leaf32(int... shape) {
    return Value.of(NDArray.uniform(rng, -2, 2, shape).to(F32)).requiresGrad(true);
  }

  @Test
  void conversionIsDifferentiableAndHandsBackTheInputsDtype() {
    Value x = leaf32(3, 4);
    NDArray w = NDArray.uniform(rng, -1, 1, 3, 4);
    Value y = x.to(F64).mul(Value.of(w)).sum();
    assertEquals(F64, y.dtype());
    y.backward();
    assertEquals(F32, x.grad().dtype());
    assertTrue(x.grad().allClose(w.to(F32), 0, 0), "the gradient of to() is the incoming gradient, converted");

    Value z = Value.of(NDArray.uniform(rng, -1, 1, 5)).requiresGrad(true);
    Value h = z.to(F32).exp().sum();
    assertEquals(F32, h.dtype());
    h.backward();
    assertEquals(F64, z.grad().dtype());
    assertTrue(z.grad().allClose(z.data().to(F32).exp().to(F64), 1e-7, 0));
  }

  @Test
  void mixedOperandsPromoteAndEachInputGetsItsOwnDtype() {
    Value a = leaf32(2, 3);
    Value b = Value.of(NDArray.uniform(rng, -2, 2, 2, 3)).requiresGrad(true);
    Value y = a.mul(b).sum();
    assertEquals(F64, y.dtype());
    y.backward();
    assertEquals(F32, a.grad().dtype());
    assertEquals(F64, b.grad().dtype());
    assertTrue(a.grad().allClose(b.data().to(F32), 0, 0));
    assertTrue(b.grad().allClose(a.data().to(F64), 0, 0));

    Value c = leaf32(2, 3);
    Value s = Value.scalar(2.0).requiresGrad(true); // rank 0 float64: does not promote c
    Value t = c.mul(s).add(1.0).sum();
    assertEquals(F32, t.dtype());
    t.backward();
    assertEquals(F64, s.grad().dtype());
    assertEquals(F32, c.grad().dtype());
    assertEquals(c.data().sum().item(), s.grad().item(), 1e-6);
  }

  @Test
  void rankZeroFloat32ValuesStayFloat32ThroughTheScalarPaths() {
    Value x = Value.scalar(0.7, F32).requiresGrad(true);
    Value y = x.mul(x).add(3.0).tanh().mul(2.0).sub(x.exp());
    assertEquals(F32, y.dtype());
    y.backward();
    assertEquals(F32, x.grad().dtype());
    double x0 = (float) 0.7;
    double expected = 2 * (1 - Math.pow(Math.tanh(x0 * x0 + 3), 2)) * 2 * x0 - Math.exp(x0);
    assertEquals(expected, x.grad().item(), 1e-6);
    assertEquals(F32, Value.scalar(1, F32).detach().dtype());
    assertEquals(F32, Value.of(NDArray.scalar(1, F32)).dtype(), "a rank-0 float32 leaf keeps its dtype");
  }

  @Test
  void secondOrderGradientsInFloat32() {
    Value x = leaf32(4);
    Value y = x.pow(3).sum();
    Value g = Autograd.grad(List.of(y), List.of(x), null, true, true).get(0);
    assertEquals(F32, g.dtype());
    Value gg = Autograd.grad(g.sum(), x, false, false);
    assertEquals(F32, gg.dtype());
    assertTrue(gg.data().allClose(x.data().mul(6.0), 1e-6, 1e-6));
  }

  @Test
  void seedsAndZeroGradientsTakeTheDtypeOfWhatTheyStandFor() {
    Value x = leaf32(3);
    Value unused = leaf32(2);
    Value y = x.mul(2.0);
    y.backward(NDArray.ones(3), false); // a float64 seed for a float32 output is converted
    assertEquals(F32, x.grad().dtype());
    List<Value> gs = Autograd.grad(List.of(x.mul(x).sum()), List.of(x, unused), null, false, false);
    assertEquals(F32, gs.get(1).dtype());
    assertEquals(0.0, gs.get(1).data().abs().sum().item(), 0.0);
  }

  @Test
  void gradCheckUpcastsFloat32InputsAndRejectsFunctionsThatComputeInFloat32() {
    NDArray x32 = NDArray.uniform(rng, 0.5, 2, 3, 2).to(F32);
    GradCheck.Result ok = GradCheck.create().check(xs -> xs[0].log().mul(xs[0]).sum(), x32);
    assertTrue(ok.passed(), ok.describe());
    GradCheck.Result second = GradCheck.create().checkSecondOrder(xs -> xs[0].log().mul(xs[0]).sum(), x32);
    assertTrue(second.passed(), second.describe());
    GradCheck.Result inside = GradCheck.create().check(xs -> xs[0].to(F32).exp().sum(), x32);
    assertFalse(inside.passed());
    assertTrue(inside.describe().contains("float32") && inside.describe().contains("float64"), inside.describe());
  }

  @Test
  void functionalTransformsAnswerInTheInputsDtype() {
    NDArray x = NDArray.of(F32, 0.5, -1.0, 2.0);
    NDArray j = Functional.jacobian(xs -> xs[0].tanh(), x).get(0);
    assertEquals(F32, j.dtype());
    NDArray expected = Functional.jacobian(xs -> xs[0].tanh(), x.to(F64)).get(0);
    assertTrue(j.to(F64).allClose(expected, 1e-6, 1e-7));
    NDArray h = Functional.hvp(xs -> xs[0].pow(3).sum(), NDArray.ones(F32, 3), x);
    assertEquals(F32, h.dtype());
    assertTrue(h.allClose(x.mul(6.0), 1e-6, 0));
  }
}
