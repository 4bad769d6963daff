package dev.autograd;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.array.NDArray;
import dev.autograd.array.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Derivatives of whole functions, as in {@code torch.autograd.functional} and JAX: vector-Jacobian and
 * Jacobian-vector products, full Jacobians and Hessians, Hessian-vector products. Each call evaluates {@code f} on
 * fresh leaves made from {@code inputs}, so nothing of the caller's graph or {@link Value#grad()} is touched.
 * Everything is built from {@link Autograd#grad}, so it works for every op, custom functions included. An output
 * that does not depend on the inputs (a constant) has zero derivatives, as in PyTorch's non-strict mode.
 */
public final class Functional {
  private Functional() {}

  /** The function's output with the product computed alongside it. */
  public record Result(NDArray output, List<NDArray> product) {}

  /** vᵀ·J for each input: the output of {@code f(inputs)} and Σ v ⊙ ∂f/∂input, with v shaped like the output. */
  public static Result vjp(ValueFunction f, NDArray v, NDArray... inputs) {
    Value[] xs = leaves(inputs);
    Value y = f.apply(xs);
    checkOutput("vjp", y);
    checkArgument(Arrays.equals(v.shape(), y.shape()), "vjp: v has shape %s but the output has shape %s",
        Shapes.lazyFormat(v.shape()), Shapes.lazyFormat(y.shape()));
    if (!y.requiresGrad()) {
      return new Result(y.data(), zeros(inputs));
    }
    List<Value> g = Autograd.grad(List.of(y), List.of(xs), List.of(Value.of(v)), false, false);
    return new Result(y.data(), arrays(g));
  }

  /**
   * J·v: the output and Σ over inputs of ∂f/∂inputᵢ · vᵢ (shaped like the output), with one tangent per input. Computed
   * with the double-vjp identity J·v = ∂(uᵀJ·v)/∂u, so no forward-mode machinery is needed.
   */
  public static Result jvp(ValueFunction f, List<NDArray> tangents, NDArray... inputs) {
    checkArgument(tangents.size() == inputs.length, "jvp: %s tangents for %s inputs", tangents.size(),
        inputs.length);
    Value[] xs = leaves(inputs);
    Value y = f.apply(xs);
    checkOutput("jvp", y);
    if (!y.requiresGrad()) {
      return new Result(y.data(), List.of(NDArray.zeros(y.dtype(), y.shape())));
    }
    Value u = Value.zeros(y.dtype(), y.shape()).requiresGrad(true); // the product is linear in u: any value works
    List<Value> vjp = Autograd.grad(List.of(y), List.of(xs), List.of(u), true, true);
    Value dot = null;
    for (int i = 0; i < xs.length; i++) {
      checkArgument(Arrays.equals(tangents.get(i).shape(), inputs[i].shape()),
          "jvp: tangent %s has shape %s but input %s has shape %s", i, Shapes.lazyFormat(tangents.get(i).shape()), i,
          Shapes.lazyFormat(inputs[i].shape()));
      Value term = vjp.get(i).mul(Value.of(tangents.get(i))).sum();
      dot = dot == null ? term : dot.add(term);
    }
    // without a graph, f is linear in u only
    NDArray jv = dot.requiresGrad() ? Autograd.grad(dot, u).data() : NDArray.zeros(y.dtype(), y.shape());
    return new Result(y.data(), List.of(jv));
  }

  /**
   * ∂f/∂input for each input, each of shape output.shape ++ input.shape (PyTorch's layout), computed one output
   * element at a time.
   */
  public static List<NDArray> jacobian(ValueFunction f, NDArray... inputs) {
    Value[] xs = leaves(inputs);
    Value y = f.apply(xs);
    checkOutput("jacobian", y);
    int outSize = y.size();
    List<double[]> rows = new ArrayList<>();
    for (NDArray in : inputs) {
      rows.add(new double[outSize * in.size()]);
    }
    for (int o = 0; o < outSize && y.requiresGrad(); o++) { // an output that ignores the inputs has zero Jacobian
      double[] seed = new double[outSize];
      seed[o] = 1;
      List<Value> g = Autograd.grad(List.of(y), List.of(xs), List.of(Value.of(NDArray.of(seed).reshape(y.shape()))),
          o + 1 < outSize, false);
      for (int i = 0; i < xs.length; i++) {
        double[] gi = g.get(i).data().toArray();
        System.arraycopy(gi, 0, rows.get(i), o * gi.length, gi.length);
      }
    }
    List<NDArray> result = new ArrayList<>();
    for (int i = 0; i < inputs.length; i++) {
      // in the input's dtype, as its gradient rows are
      result.add(NDArray.of(inputs[i].dtype(), rows.get(i)).reshape(concat(y.shape(), inputs[i].shape())));
    }
    return result;
  }

  /** The Hessian of a single-element {@code f} of one input, of shape input.shape ++ input.shape. */
  public static NDArray hessian(ValueFunction f, NDArray input) {
    return jacobian(xs -> {
      Value y = single("hessian", f.apply(xs));
      return y.requiresGrad() ? Autograd.grad(y, xs[0], true, true) : Value.zeros(input.dtype(), input.shape());
    }, input).get(0);
  }

  /** H·v for a single-element {@code f} of one input, without forming H: ∂(∇f · v)/∂x. */
  public static NDArray hvp(ValueFunction f, NDArray v, NDArray input) {
    checkArgument(Arrays.equals(v.shape(), input.shape()), "hvp: v has shape %s but the input has shape %s",
        Shapes.lazyFormat(v.shape()), Shapes.lazyFormat(input.shape()));
    Value x = Value.of(input).requiresGrad(true);
    Value y = single("hvp", f.apply(x));
    if (!y.requiresGrad()) {
      return NDArray.zeros(input.dtype(), input.shape());
    }
    Value g = Autograd.grad(y, x, true, true);
    Value gv = g.mul(Value.of(v)).sum();
    // without a graph, f is at most linear in x
    return gv.requiresGrad() ? Autograd.grad(gv, x).data() : NDArray.zeros(input.dtype(), input.shape());
  }

  private static Value single(String op, Value y) {
    checkOutput(op, y);
    checkArgument(y.size() == 1, "%s: f must return a single element, got shape %s", op,
        Shapes.lazyFormat(y.shape()));
    return y;
  }

  private static void checkOutput(String op, Value y) {
    checkArgument(y != null, "%s: f returned null", op);
  }

  private static List<NDArray> zeros(NDArray... like) {
    List<NDArray> out = new ArrayList<>();
    for (NDArray a : like) {
      out.add(NDArray.zeros(a.dtype(), a.shape()));
    }
    return out;
  }

  private static Value[] leaves(NDArray... inputs) {
    checkArgument(inputs.length > 0, "no inputs given");
    Value[] xs = new Value[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      xs[i] = Value.of(inputs[i]).requiresGrad(true);
    }
    return xs;
  }

  private static List<NDArray> arrays(List<Value> values) {
    List<NDArray> out = new ArrayList<>(values.size());
    for (Value v : values) {
      out.add(v.data());
    }
    return out;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
