package dev.autograd.nn;

import dev.autograd.Value;

/**
 * A multi-layer LSTM (PyTorch's {@code nn.LSTM}, without projections), each layer stepping as {@link LSTMCell}. See
 * {@link StackedRecurrent.Builder} for the options.
 *
 * <pre>{@code
 * LSTM lstm = LSTM.builder(10, 20).numLayers(2).batchFirst(true).seed(1).build();
 * LSTM.Output out = lstm.forward(x, null, null); // out.output() [N, L, 20], out.hN() and out.cN() [2, N, 20]
 * }</pre>
 */
public final class LSTM extends StackedRecurrent {
  /**
   * The top layer's hidden state at every step (laid out as the input), and every layer's final hidden and cell
   * states ({@code [numLayers, N, H]}, unbatched {@code [numLayers, H]}).
   */
  public record Output(Value output, Value hN, Value cN) {}

  private LSTM(Builder<LSTM> b) {
    super(Recurrence.LSTM, b);
  }

  /** Options for an LSTM from {@code inputSize} features to {@code hiddenSize}, starting from PyTorch's defaults. */
  public static Builder<LSTM> builder(int inputSize, int hiddenSize) {
    return new Builder<>("LSTM", inputSize, hiddenSize, LSTM::new);
  }

  /** The output sequence from zero initial states (what {@link Sequential} passes on). */
  @Override
  public Value forward(Value input) {
    return run(input, null, null)[0];
  }

  /** The output sequence and final states; null initial states mean zeros. */
  public Output forward(Value input, Value h0, Value c0) {
    Value[] r = run(input, h0, c0);
    return new Output(r[0], r[1], r[2]);
  }
}
