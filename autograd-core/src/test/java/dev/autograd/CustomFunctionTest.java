package dev.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.array.NDArray;
import org.junit.jupiter.api.Test;

class CustomFunctionTest {
  /** x³ with a hand-written backward in Value ops (so it is twice differentiable). */
  static final CustomFunction CUBE = CustomFunction.of("cube",
      (ctx, xs) -> xs[0].pow(3),
      (ctx, g) -> new Value[] {g.mul(ctx.input(0).pow(2)).mul(3)});

  /** a·b + b with broadcasting; backward returns broadcast-shaped gradients and relies on the sum back. */
  static final CustomFunction MUL_ADD = new CustomFunction("mulAdd") {
    @Override
    protected NDArray forward(Context ctx, NDArray... in) {
      return in[0].mul(in[1]).add(in[1]);
    }

    @Override
    protected Value[] backward(Context ctx, Value g) {
      return new Value[] {g.mul(ctx.input(1)), g.mul(ctx.input(0)).add(g)};
    }
  };

  @Test
  void correctCustomFunctionsPassFirstAndSecondOrderChecks() {
    GradCheck.create().verify(xs -> CUBE.apply(xs[0]), NDArray.of(1.5, -2.0, 0.3));
    GradCheck.create().verifySecondOrder(xs -> CUBE.apply(xs[0]), NDArray.of(1.5, -2.0, 0.3));
    GradCheck.create().verify(xs -> MUL_ADD.apply(xs[0], xs[1]), NDArray.of(new double[][] {{1, 2}, {3, 4}}),
        NDArray.of(0.5, -1));
  }

  @Test
  void aWrongBackwardIsCaughtAtTheBadElement() {
    CustomFunction buggy = CustomFunction.of("buggyCube",
        (ctx, xs) -> xs[0].pow(3),
        // element 2 of the gradient is off by g: a typical indexing slip
        (ctx, g) -> new Value[] {g.mul(ctx.input(0).pow(2)).mul(3).add(g.mul(Value.of(0, 0, 1, 0)))});
    GradCheck.Result r = GradCheck.create().check(xs -> buggy.apply(xs[0]), NDArray.of(1.0, 2.0, 3.0, 4.0));
    assertFalse(r.passed());
    assertEquals(1, r.mismatches().size());
    GradCheck.Mismatch m = r.mismatches().get(0);
    assertEquals(0, m.input());
    assertArrayEquals(new int[] {2}, m.inputElement());
    assertEquals(28.0, m.analytical(), 1e-9);
    assertEquals(27.0, m.numerical(), 1e-6);
    AssertionError e = assertThrows(AssertionError.class,
        () -> GradCheck.create().verify(xs -> buggy.apply(xs[0]), NDArray.of(1.0, 2.0, 3.0, 4.0)));
    assertTrue(e.getMessage().contains("input 0, element [2]"), e.getMessage());
    assertTrue(e.getMessage().contains("worst relative error"), e.getMessage());
  }

  @Test
  void fastModeAlsoCatchesAWrongBackwardAndNamesTheInput() {
    CustomFunction wrongSecondInput = CustomFunction.of("wrong",
        (ctx, xs) -> xs[0].mul(xs[1]),
        (ctx, g) -> new Value[] {g.mul(ctx.input(1)), g.mul(ctx.input(0)).mul(1.1)});
    GradCheck.Result r = GradCheck.create().withFastMode(true)
        .check(xs -> wrongSecondInput.apply(xs[0], xs[1]), NDArray.of(1, 2, 3), NDArray.of(-1, 0.5, 2));
    assertFalse(r.passed());
    assertEquals(1, r.mismatches().size());
    assertEquals(1, r.mismatches().get(0).input());
  }

  @Test
  void nonReentrantBackwardIsReported() {
    int[] calls = {0};
    CustomFunction drifting = CustomFunction.of("drifting",
        (ctx, xs) -> xs[0].mul(2),
        (ctx, g) -> new Value[] {g.mul(2 + 1e-7 * calls[0]++)});
    GradCheck.Result r = GradCheck.create().check(xs -> drifting.apply(xs[0]), NDArray.of(1.0));
    assertFalse(r.passed());
    assertTrue(r.describe().contains("non-reentrant"), r.describe());
  }

  @Test
  void worksWithBackwardNoGradAndSavedState() {
    CustomFunction expSaved = CustomFunction.of("expSaved",
        (ctx, xs) -> {
          NDArray e = xs[0].exp();
          ctx.save(e);
          return e;
        },
        (ctx, g) -> new Value[] {g.mul(Value.of(ctx.<NDArray>saved(0)))});
    Value x = Value.of(0.0, 1.0).requiresGrad(true);
    expSaved.apply(x).sum().backward();
    assertArrayEquals(new double[] {1, Math.E}, x.grad().toArray(), 1e-15);
    try (ModeScope s = Autograd.noGrad()) {
      assertFalse(expSaved.apply(x).requiresGrad());
    }
  }

  @Test
  void anomalyModeNamesTheCustomOp() {
    CustomFunction badForward = CustomFunction.of("badForward", (ctx, xs) -> xs[0].log(), (ctx, g) -> new Value[] {g});
    CustomFunction badBackward = CustomFunction.of("badBackward", (ctx, xs) -> xs[0],
        (ctx, g) -> new Value[] {g.div(0.0 + 1e-300).mul(1e300)});
    Value x = Value.of(-1.0).requiresGrad(true);
    try (ModeScope s = Autograd.detectAnomaly()) {
      AnomalyException f = assertThrows(AnomalyException.class, () -> badForward.apply(x));
      assertTrue(f.getMessage().contains("'badForward'") && f.getMessage().contains("CustomFunctionTest"),
          f.getMessage());
      Value y = badBackward.apply(x).sum();
      AnomalyException b = assertThrows(AnomalyException.class, () -> y.backward());
      assertTrue(b.getMessage().contains("'badBackward'"), b.getMessage());
    }
  }

  @Test
  void malformedBackwardResultsAreClearErrors() {
    CustomFunction tooFew = CustomFunction.of("tooFew", (ctx, xs) -> xs[0].add(xs[1]), (ctx, g) -> new Value[] {g});
    Value a = Value.of(1, 2).requiresGrad(true);
    IllegalStateException e1 = assertThrows(IllegalStateException.class,
        () -> tooFew.apply(a, Value.of(3, 4)).sum().backward());
    assertTrue(e1.getMessage().contains("tooFew") && e1.getMessage().contains("1 gradients for 2 inputs"),
        e1.getMessage());
    CustomFunction badShape = CustomFunction.of("badShape", (ctx, xs) -> xs[0], (ctx, g) -> new Value[] {
        Value.of(1, 2, 3)});
    IllegalStateException e2 = assertThrows(IllegalStateException.class,
        () -> badShape.apply(Value.of(1, 2).requiresGrad(true)).sum().backward());
    assertTrue(e2.getMessage().contains("[3]") && e2.getMessage().contains("[2]"), e2.getMessage());
  }
}
