package dev.autograd;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.array.NDArray;
import dev.autograd.array.Shapes;
import java.util.ArrayList;
import java.util.List;

/** Entry points beyond {@link Value#backward()}: functional gradients and the per-thread recording modes. */
public final class Autograd {
  private Autograd() {}

  /**
   * First-order gradients of a single-element {@code output} with respect to {@code inputs}, returned as values; no
   * {@link Value#grad()} is touched and the graph is released. An input the output does not depend on gets zeros.
   */
  public static List<Value> grad(Value output, List<Value> inputs) {
    return grad(output, inputs, false, false);
  }

  /** {@link #grad(Value, List)} for one input. */
  public static Value grad(Value output, Value input) {
    return grad(output, List.of(input)).get(0);
  }

  /**
   * Gradients of a single-element {@code output}, as PyTorch's {@code torch.autograd.grad(output, inputs,
   * retain_graph=..., create_graph=...)}.
   *
   * @param retainGraph keep the graph's saved buffers so that it can be differentiated again
   * @param createGraph record the gradients themselves, so that they can be differentiated (second derivatives,
   *     Hessian-vector products); this needs the graph kept as well, so pass {@code retainGraph} too
   */
  public static List<Value> grad(Value output, List<Value> inputs, boolean retainGraph, boolean createGraph) {
    checkArgument(output.size() == 1, "grad: output has shape %s; pass gradOutputs (a seed of that shape) for "
        + "non-scalar outputs", Shapes.lazyFormat(output.shape()));
    return grad(List.of(output), inputs, null, retainGraph, createGraph);
  }

  /** {@link #grad(Value, List, boolean, boolean)} for one input. */
  public static Value grad(Value output, Value input, boolean retainGraph, boolean createGraph) {
    return grad(output, List.of(input), retainGraph, createGraph).get(0);
  }

  /**
   * The vector-Jacobian product Σᵢ gradOutputᵢ · ∂outputᵢ/∂input for each input, in PyTorch's argument order. The
   * grad outputs are values, so they may themselves be differentiated through (with {@code createGraph}).
   *
   * @param gradOutputs one seed per output, of the output's shape; {@code null} means ones, for single-element
   *     outputs only
   */
  public static List<Value> grad(List<Value> outputs, List<Value> inputs, List<Value> gradOutputs,
      boolean retainGraph, boolean createGraph) {
    checkArgument(!inputs.isEmpty(), "grad: no inputs given");
    checkArgument(gradOutputs == null || outputs.size() == gradOutputs.size(), "grad: %s outputs but %s gradOutputs",
        outputs.size(), gradOutputs == null ? 0 : gradOutputs.size());
    List<Value> seeds = new ArrayList<>(outputs.size());
    for (int i = 0; i < outputs.size(); i++) {
      Value out = outputs.get(i);
      checkArgument(out.requiresGrad(), "grad: output %s (op '%s') does not require a gradient", i, out.op());
      if (gradOutputs == null) {
        checkArgument(out.size() == 1, "grad: output %s has shape %s; gradOutputs are needed for non-scalar outputs",
            i, Shapes.lazyFormat(out.shape()));
        seeds.add(Value.of(NDArray.ones(out.dtype(), out.shape())));
      } else {
        Engine.checkSeed(out, gradOutputs.get(i).data());
        seeds.add(gradOutputs.get(i).to(out.dtype()));
      }
    }
    return List.of(Engine.grad(outputs, seeds, inputs, retainGraph, createGraph));
  }

  /**
   * Opens a scope in which no op is recorded (results are constants). Use with try-with-resources; the scope
   * belongs to the calling thread.
   */
  public static ModeScope noGrad() {
    GraphMode m = GraphMode.current();
    return new ModeScope(false, m.detectAnomaly);
  }

  /** Opens a scope that turns recording back on, e.g. inside a {@link #noGrad()} block. */
  public static ModeScope enableGrad() {
    GraphMode m = GraphMode.current();
    return new ModeScope(true, m.detectAnomaly);
  }

  /** Whether ops on the current thread are recorded. */
  public static boolean isGradEnabled() {
    return GraphMode.current().gradEnabled;
  }

  /**
   * Opens a scope in which any NaN or infinity produced by an op's forward result or by a backward rule throws an
   * {@link AnomalyException} naming the op and the line of user code that created it. Slower (it records a call site
   * per op): use it to debug.
   */
  public static ModeScope detectAnomaly() {
    GraphMode m = GraphMode.current();
    return new ModeScope(m.gradEnabled, true);
  }
}
