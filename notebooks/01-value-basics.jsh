// 01 · Values and micrograd-style scalars
// A Value holds data and, once marked with requiresGrad(true), records every op applied to it.

Value a = Value.scalar(2.0).requiresGrad(true).label("a");
Value b = Value.scalar(-3.0).requiresGrad(true).label("b");
Value c = Value.scalar(10.0).requiresGrad(true).label("c");
Value e = a.mul(b).label("e");
Value d = e.add(c).label("d");
Value f = Value.scalar(-2.0).requiresGrad(true).label("f");
Value L = d.mul(f).label("L");
System.out.println("L = " + L.item());          // (2·-3 + 10)·-2 = -8

L.backward();
// the chain rule by hand: dL/da = dL/dd · dd/de · de/da = f · 1 · b
System.out.println("dL/da = " + a.grad().item() + "   (f·b = " + (-2.0 * -3.0) + ")");
System.out.println("dL/db = " + b.grad().item() + "   (f·a = " + (-2.0 * 2.0) + ")");
System.out.println("dL/dc = " + c.grad().item() + "   (f = -2)");
System.out.println("dL/df = " + f.grad().item() + "   (d = 4)");
check(L.item() == -8, "forward value");
check(a.grad().item() == 6 && b.grad().item() == -4 && c.grad().item() == -2 && f.grad().item() == 4, "gradients");

// micrograd's sanity check: x = -4 gives y = -20 and dy/dx = 46
Value x = Value.scalar(-4.0).requiresGrad(true);
Value z = x.mul(2).add(2).add(x);
Value q = z.relu().add(z.mul(x));
Value h = z.mul(z).relu();
Value y = h.add(q).add(q.mul(x));
y.backward();
System.out.println("micrograd: y = " + y.item() + ", dy/dx = " + x.grad().item());
check(y.item() == -20 && x.grad().item() == 46, "micrograd sanity check");

// gradients accumulate until zeroGrad()
y = x.mul(x);
y.backward();
System.out.println("after a second backward, x.grad = " + x.grad().item() + " (46 + 2x = 38)");
check(x.grad().item() == 38, "accumulation");
x.zeroGrad();
