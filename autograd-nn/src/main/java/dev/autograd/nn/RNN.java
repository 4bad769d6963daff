package dev.autograd.nn;

import dev.autograd.Value;

/**
 * A multi-layer Elman RNN (PyTorch's {@code nn.RNN}): each layer applies h_t = act(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ
 * + b_hh) with act tanh (default) or relu. See {@link StackedRecurrent.Builder} for the options.
 *
 * <pre>{@code
 * RNN rnn = RNN.builder(10, 20).numLayers(2).batchFirst(true).seed(1).build();
 * RecurrentOutput out = rnn.forward(x, null); // x [N, L, 10]: out.output() [N, L, 20], out.hN() [2, N, 20]
 * }</pre>
 */
public final class RNN extends StackedRecurrent {
  private RNN(Builder<RNN> b) {
    super(Recurrence.rnn("RNN", b.nonlinearity), b);
  }

  /** Options for an RNN from {@code inputSize} features to {@code hiddenSize}, starting from PyTorch's defaults. */
  public static Builder<RNN> builder(int inputSize, int hiddenSize) {
    return new Builder<>("RNN", inputSize, hiddenSize, RNN::new);
  }

  /** The output sequence from zero initial states (what {@link Sequential} passes on). */
  @Override
  public Value forward(Value input) {
    return run(input, (Value) null)[0];
  }

  /** The output sequence and final hidden states; {@code h0} null means zeros. */
  public RecurrentOutput forward(Value input, Value h0) {
    Value[] r = run(input, h0);
    return new RecurrentOutput(r[0], r[1]);
  }
}
