package dev.autograd;

/**
 * The local derivative of one op: given the gradient flowing into the op's output, the gradients for each of its
 * inputs (in parent order; {@code null} means "no contribution"). Rules are written in differentiable {@link Value}
 * ops, so running them with graph recording on yields higher-order derivatives. A rule may return a gradient in the
 * broadcast shape; the engine sums it back to the input's shape.
 */
@FunctionalInterface
interface BackwardRule {
  Value[] apply(Value gradOutput, Value output);
}
