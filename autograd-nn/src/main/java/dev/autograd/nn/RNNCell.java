package dev.autograd.nn;

import dev.autograd.Value;
import java.util.random.RandomGenerator;

/**
 * An Elman RNN step (PyTorch's {@code nn.RNNCell(input_size, hidden_size, bias=True, nonlinearity='tanh')}):
 * h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh). Weights and biases start U(−1/√H, 1/√H). Inputs {@code [N, I]} with
 * {@code h [N, H]}, or unbatched {@code [I]} with {@code [H]}.
 */
public final class RNNCell extends RecurrentCell {
  /** With bias and tanh. */
  public RNNCell(int inputSize, int hiddenSize, RandomGenerator rng) {
    this(inputSize, hiddenSize, true, "tanh", rng);
  }

  /** @param nonlinearity {@code "tanh"} or {@code "relu"} */
  public RNNCell(int inputSize, int hiddenSize, boolean bias, String nonlinearity, RandomGenerator rng) {
    super(Recurrence.rnn("RNNCell", nonlinearity), inputSize, hiddenSize, bias, rng);
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
