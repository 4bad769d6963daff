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
   * Gradients of a single-element {@code output} with respect to {@code inputs}, returned as values; no
   * {@link Value#grad()} is touched. With {@code createGraph} the results are themselves recorded, so they can be
   * differentiated again (second derivatives, Hessian-vector products); the graph is then also retained.
   * An input that the output does not depend on gets a zero gradient.
   */
  public static List<Value> grad(Value output, List<Value> inputs, boolean createGraph) {
    checkArgument(output.size() == 1, "grad: output has shape %s; use grad(outputs, seeds, inputs, ...) with a seed "
        + "for non-scalar outputs", Shapes.lazyFormat(output.shape()));
    return grad(List.of(output), List.of(NDArray.ones(output.shape())), inputs, createGraph, createGraph);
  }

  /** Convenience for one input. */
  public static Value grad(Value output, Value input, boolean createGraph) {
    return grad(output, List.of(input), createGraph).get(0);
  }

  /**
   * The vector-Jacobian product Σᵢ seedᵢ · ∂outputᵢ/∂input for each input.
   *
   * @param retainGraph keep the graph's saved buffers for another pass
   */
  public static List<Value> grad(List<Value> outputs, List<NDArray> seeds, List<Value> inputs, boolean createGraph,
      boolean retainGraph) {
    checkArgument(outputs.size() == seeds.size(), "grad: %s outputs but %s seeds", outputs.size(), seeds.size());
    checkArgument(!inputs.isEmpty(), "grad: no inputs given");
    List<Value> seedValues = new ArrayList<>(seeds.size());
    for (int i = 0; i < outputs.size(); i++) {
      Value out = outputs.get(i);
      checkArgument(out.tracksGrad(), "grad: output %s (op '%s') does not require a gradient", i, out.op());
      Engine.checkSeed(out, seeds.get(i));
      seedValues.add(Value.of(seeds.get(i)));
    }
    return List.of(Engine.grad(outputs, seedValues, inputs, retainGraph, createGraph));
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
