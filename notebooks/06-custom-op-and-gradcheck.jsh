// 06 · Writing a custom op and checking it with GradCheck

// softsign(x) = x / (1 + |x|), derivative 1 / (1 + |x|)², written as a custom function
CustomFunction softsign = CustomFunction.of("softsign",
    (ctx, xs) -> xs[0].div(xs[0].abs().add(1.0)),
    (ctx, g) -> new Value[] {g.div(ctx.input(0).abs().add(1.0).pow(2))});

Value x = Value.of(-2.0, 0.5, 3.0).requiresGrad(true);
softsign.apply(x).sum().backward();
System.out.println("softsign'(x) = " + x.grad());

GradCheck.Result ok = GradCheck.create().check(xs -> softsign.apply(xs[0]), NDArray.of(-2.0, 0.5, 3.0, -0.7));
System.out.println(ok.describe());
check(ok.passed(), "the correct backward passes");

// A typical mistake: forgetting the square in the derivative. GradCheck points at every bad element.
CustomFunction buggy = CustomFunction.of("buggySoftsign",
    (ctx, xs) -> xs[0].div(xs[0].abs().add(1.0)),
    (ctx, g) -> new Value[] {g.div(ctx.input(0).abs().add(1.0))});
GradCheck.Result bad = GradCheck.create().check(xs -> buggy.apply(xs[0]), NDArray.of(-2.0, 0.5, 3.0, -0.7));
System.out.println(bad.describe());
check(!bad.passed() && bad.mismatches().size() == 4, "the wrong backward is caught at each element");

// Second order too: the backward is written in Value ops, so it is differentiable.
GradCheck.create().verifySecondOrder(xs -> softsign.apply(xs[0]), NDArray.of(-2.0, 0.5, 3.0, -0.7));
System.out.println("second-order check passed");
