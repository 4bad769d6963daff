package dev.autograd;

/** A differentiable function of one or more values, as checked by {@link GradCheck}: {@code xs -> xs[0].mul(xs[1])}. */
@FunctionalInterface
public interface ValueFunction {
  Value apply(Value... inputs);
}
