// 05 · Higher-order gradients: second derivatives and Hessian-vector products
// Backward rules are written in differentiable ops, so a gradient built with createGraph can be differentiated again.

Value x = Value.scalar(2.0).requiresGrad(true);
Value y = x.pow(3);
Value dy = Autograd.grad(y, x, true, true);      // 3x² = 12, itself part of a graph
Value d2y = Autograd.grad(dy, x);                // 6x  = 12
System.out.println("y = x³ at 2:  dy/dx = " + dy.item() + ",  d²y/dx² = " + d2y.item());
checkClose(d2y.item(), 12, 1e-12, "second derivative of x³ at 2");

// Hessian-vector product without forming the Hessian: Hv = ∇(∇f · v)
// f(w) = Σ tanh(A·w)², a small nonlinear least-squares-like objective
NDArray A = NDArray.of(new double[][] {{1, 2}, {-1, 0.5}, {0.3, -2}});
Value w = Value.of(0.4, -0.3).requiresGrad(true);
Value f = Value.of(A).matmul(w).tanh().pow(2).sum();
Value g = Autograd.grad(f, w, true, true);
NDArray v = NDArray.of(1.0, -1.0);
Value hv = Autograd.grad(List.of(g), List.of(w), List.of(Value.of(v)), false, false).get(0);
System.out.println("Hv = " + hv.data());

// check against finite differences of the gradient: (∇f(w + εv) − ∇f(w − εv)) / 2ε
double eps = 1e-6;
NDArray gPlus, gMinus;
{
  Value wp = Value.of(w.data().add(v.mul(eps))).requiresGrad(true);
  gPlus = Autograd.grad(Value.of(A).matmul(wp).tanh().pow(2).sum(), wp).data();
  Value wm = Value.of(w.data().sub(v.mul(eps))).requiresGrad(true);
  gMinus = Autograd.grad(Value.of(A).matmul(wm).tanh().pow(2).sum(), wm).data();
}
NDArray fd = gPlus.sub(gMinus).div(2 * eps);
System.out.println("finite differences: " + fd);
check(hv.data().allClose(fd, 1e-5, 1e-7), "Hessian-vector product matches finite differences");

// The same without building anything by hand: Functional, like torch.autograd.functional
ValueFunction objective = xs -> Value.of(A).matmul(xs[0]).tanh().pow(2).sum();
NDArray hvFunctional = Functional.hvp(objective, v, w.data());
check(hvFunctional.allClose(hv.data(), 1e-12, 1e-12), "Functional.hvp equals the hand-built product");
NDArray H = Functional.hessian(objective, w.data());   // the full 2 × 2 Hessian
System.out.println("H = " + H);
check(H.matmul(v).allClose(hv.data(), 1e-12, 1e-12), "H·v equals the Hessian-vector product");

// A Jacobian of a small vector function: f(x) = tanh(A·x), J = diag(1 − tanh²(A·x))·A
NDArray J = Functional.jacobian(xs -> Value.of(A).matmul(xs[0]).tanh(), w.data()).get(0);
NDArray t = A.matmul(w.data()).tanh();
NDArray expectedJ = t.mul(t).neg().add(1.0).reshape(3, 1).mul(A);
check(J.allClose(expectedJ, 1e-12, 1e-12), "Jacobian of tanh(A·x) in closed form");
