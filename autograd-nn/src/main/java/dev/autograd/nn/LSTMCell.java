package dev.autograd.nn;

import dev.autograd.Value;
import java.util.random.RandomGenerator;

/**
 * An LSTM step (PyTorch's {@code nn.LSTMCell(input_size, hidden_size, bias=True)}), gates in PyTorch's order
 * (i, f, g, o): i = σ(·), f = σ(·), g = tanh(·), o = σ(·) of W_i* x + b_i* + W_h* h + b_h*; c' = f ⊙ c + i ⊙ g,
 * h' = o ⊙ tanh(c'). Weights and biases start U(−1/√H, 1/√H).
 */
public final class LSTMCell extends RecurrentCell {
  /** The hidden and cell state after a step. */
  public record State(Value h, Value c) {}

  /** With bias; weights drawn from {@code rng}. */
  public LSTMCell(int inputSize, int hiddenSize, RandomGenerator rng) {
    this(inputSize, hiddenSize, true, rng);
  }

  /** @throws IllegalArgumentException for non-positive sizes */
  public LSTMCell(int inputSize, int hiddenSize, boolean bias, RandomGenerator rng) {
    super(Recurrence.LSTM, inputSize, hiddenSize, bias, rng);
  }

  /** The next hidden state h' from zero states (use {@link #forward(Value, Value, Value)} for c' too). */
  @Override
  public Value forward(Value input) {
    return forward(input, null, null).h();
  }

  /** The next (h, c); null states mean zeros. */
  public State forward(Value input, Value h, Value c) {
    Value[] next = cellStep(input, h, c);
    return new State(next[0], next[1]);
  }
}
