package dev.autograd.nn;

import dev.autograd.Value;
import java.util.random.RandomGenerator;

/**
 * A GRU step (PyTorch's {@code nn.GRUCell(input_size, hidden_size, bias=True)}), gates in PyTorch's order (r, z, n):
 * r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz), n = tanh(W_in x + b_in + r ⊙ (W_hn h +
 * b_hn)), h' = (1 − z) ⊙ n + z ⊙ h. Weights and biases start U(−1/√H, 1/√H).
 */
public final class GRUCell extends RecurrentCell {
  /** With bias; weights drawn from {@code rng}. */
  public GRUCell(int inputSize, int hiddenSize, RandomGenerator rng) {
    this(inputSize, hiddenSize, true, rng);
  }

  /** @throws IllegalArgumentException for non-positive sizes */
  public GRUCell(int inputSize, int hiddenSize, boolean bias, RandomGenerator rng) {
    super(Recurrence.GRU, inputSize, hiddenSize, bias, rng);
  }

  /** The next hidden state from a zero one. */
  @Override
  public Value forward(Value input) {
    return cellStep(input, (Value) null)[0];
  }

  /** The next hidden state; {@code h} null means zeros. */
  public Value forward(Value input, Value h) {
    return cellStep(input, h)[0];
  }
}
