package dev.autograd.nn;

/**
 * A multi-layer Elman RNN (PyTorch's {@code nn.RNN}): each layer applies h_t = act(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ
 * + b_hh) with act tanh (default) or relu. See {@link StackedRecurrent.Builder} for the options.
 *
 * <pre>{@code
 * RNN rnn = RNN.builder(10, 20).numLayers(2).batchFirst(true).seed(1).build();
 * RecurrentOutput out = rnn.forward(x, null); // x [N, L, 10]: out.output() [N, L, 20], out.hN() [2, N, 20]
 * }</pre>
 */
public final class RNN extends HiddenStateRecurrent {
  private RNN(Builder<RNN> b) {
    super(Recurrence.rnn("RNN", b.nonlinearity), b);
  }

  /** Options for an RNN from {@code inputSize} features to {@code hiddenSize}, starting from PyTorch's defaults. */
  public static Builder<RNN> builder(int inputSize, int hiddenSize) {
    return new Builder<>("RNN", inputSize, hiddenSize, RNN::new);
  }
}
