package dev.autograd;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import dev.autograd.array.NDArray;
import dev.autograd.array.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A user-defined differentiable op with its own forward and backward, like PyTorch's {@code autograd.Function}.
 * The forward works on plain arrays; the backward returns the gradient of each input as a {@link Value}. Write the
 * backward with Value ops on {@link Context#input(int)} and {@link Context#output()} and higher-order derivatives
 * work too. Once applied, the op takes part in everything else: {@code backward}, {@link Autograd#grad},
 * {@link Autograd#noGrad()}, {@link Autograd#detectAnomaly()} and {@link GradCheck}.
 *
 * <pre>{@code
 * CustomFunction cube = CustomFunction.of("cube",
 *     (ctx, xs) -> xs[0].pow(3),                                        // forward on arrays
 *     (ctx, g) -> new Value[] {g.mul(ctx.input(0).pow(2)).mul(3)});     // backward in Value ops
 * Value y = cube.apply(x);
 * GradCheck.create().verify(xs -> cube.apply(xs[0]), NDArray.of(1.5, -2.0));
 * }</pre>
 */
public abstract class CustomFunction {
  private final String name;

  protected CustomFunction(String name) {
    checkArgument(name != null && !name.isBlank(), "CustomFunction: a name is required");
    this.name = name;
  }

  /** What the op sees while it runs: its inputs, its output (in backward) and anything forward saved. */
  public static final class Context {
    private final Value[] inputs;
    private final List<Object> saved = new ArrayList<>();
    private Value output;

    Context(Value[] inputs) {
      this.inputs = inputs;
    }

    /** The i-th input as a value (use it in backward so the gradient stays differentiable). */
    public Value input(int i) {
      checkArgument(i >= 0 && i < inputs.length, "Context.input: index %s, the op has %s inputs", i, inputs.length);
      return inputs[i];
    }

    /** The op's result (available in backward). */
    public Value output() {
      checkState(output != null, "Context.output: only available in backward");
      return output;
    }

    /** Keeps intermediate results of forward for backward. */
    public void save(Object... values) {
      saved.addAll(Arrays.asList(values));
    }

    /** The i-th object passed to {@link #save}. */
    @SuppressWarnings("unchecked")
    public <T> T saved(int i) {
      checkArgument(i >= 0 && i < saved.size(), "Context.saved: index %s, %s objects were saved", i, saved.size());
      return (T) saved.get(i);
    }
  }

  /** Forward on the inputs' data. */
  protected abstract NDArray forward(Context ctx, NDArray... inputs);

  /**
   * Gradients of the inputs given the output's gradient, one entry per input ({@code null} for none). A gradient
   * may have a shape that broadcasts to its input's; it is summed back.
   */
  protected abstract Value[] backward(Context ctx, Value gradOutput);

  /** Runs the op, recording it when any input needs a gradient. */
  public final Value apply(Value... inputs) {
    checkNotNull(inputs, "inputs");
    Context ctx = new Context(inputs.clone());
    NDArray[] data = new NDArray[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      data[i] = checkNotNull(inputs[i], "%s: input %s is null", name, i).data();
    }
    NDArray result = checkNotNull(forward(ctx, data), "%s: forward returned null", name);
    return Value.record(name, result, (g, out) -> {
      ctx.output = out;
      Value[] grads = backward(ctx, g);
      checkGradients(grads, ctx.inputs);
      return grads;
    }, ctx.inputs);
  }

  private void checkGradients(Value[] grads, Value[] inputs) {
    checkState(grads != null && grads.length == inputs.length,
        "%s: backward returned %s gradients for %s inputs", name, grads == null ? "null" : grads.length,
        inputs.length);
    for (int i = 0; i < grads.length; i++) {
      if (grads[i] != null) {
        checkState(Shapes.broadcastsTo(inputs[i].shape(), grads[i].shape()),
            "%s: backward returned a gradient of shape %s for input %s of shape %s", name,
            Shapes.lazyFormat(grads[i].shape()), i, Shapes.lazyFormat(inputs[i].shape()));
      }
    }
  }

  public final String name() {
    return name;
  }

  /** Forward on arrays, as a lambda. */
  @FunctionalInterface
  public interface Forward {
    NDArray apply(Context ctx, NDArray... inputs);
  }

  /** Backward in Value ops, as a lambda. */
  @FunctionalInterface
  public interface Backward {
    Value[] apply(Context ctx, Value gradOutput);
  }

  /** A custom function from two lambdas. */
  public static CustomFunction of(String name, Forward forward, Backward backward) {
    checkNotNull(forward, "forward");
    checkNotNull(backward, "backward");
    return new CustomFunction(name) {
      @Override
      protected NDArray forward(Context ctx, NDArray... inputs) {
        return forward.apply(ctx, inputs);
      }

      @Override
      protected Value[] backward(Context ctx, Value gradOutput) {
        return backward.apply(ctx, gradOutput);
      }
    };
  }
}
