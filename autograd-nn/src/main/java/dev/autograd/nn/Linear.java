package dev.autograd.nn;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.Value;
import dev.autograd.array.Shapes;
import java.util.random.RandomGenerator;

/**
 * y = x·Wᵀ + b. The weight is stored as {@code [out, in]} like PyTorch's, so checkpoints exchange directly; the
 * transpose is a view that the matmul kernel reads as a flag, not a copy. Inputs are {@code [..., in]}.
 */
public final class Linear extends Module {
  private final int in;
  private final int out;
  private final Value weight;
  private final Value bias;

  /** PyTorch's default initialisation, with bias. */
  public Linear(int in, int out, RandomGenerator rng) {
    this(in, out, true, Init.pytorchDefault(), Init.pytorchDefault(), rng);
  }

  public Linear(int in, int out, boolean withBias, Init weightInit, Init biasInit, RandomGenerator rng) {
    checkArgument(in > 0 && out > 0, "Linear: sizes must be positive, got %s -> %s", in, out);
    this.in = in;
    this.out = out;
    this.weight = registerParameter("weight", weightInit.sample(rng, in, out, out, in));
    this.bias = withBias ? registerParameter("bias", biasInit.sample(rng, in, out, out)) : null;
  }

  @Override
  public Value forward(Value x) {
    checkArgument(x.rank() >= 1 && x.shape()[x.rank() - 1] == in,
        "Linear(%s -> %s): input shape %s, expected the last axis to be %s", in, out, Shapes.lazyFormat(x.shape()), in);
    return x.linear(weight, bias);
  }

  public Value weight() {
    return weight;
  }

  /** The bias, or {@code null} for a layer without one. */
  public Value bias() {
    return bias;
  }

  @Override
  protected String describe() {
    return "Linear(" + in + " -> " + out + (bias == null ? ", no bias)" : ", bias)");
  }
}
