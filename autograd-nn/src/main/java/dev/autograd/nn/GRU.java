package dev.autograd.nn;

/**
 * A multi-layer GRU (PyTorch's {@code nn.GRU}), each layer stepping as {@link GRUCell}. See
 * {@link StackedRecurrent.Builder} for the options.
 *
 * <pre>{@code
 * GRU gru = GRU.builder(10, 20).numLayers(2).dropout(0.1).seed(1).build();
 * RecurrentOutput out = gru.forward(x, null); // x [L, N, 10]: out.output() [L, N, 20], out.hN() [2, N, 20]
 * }</pre>
 */
public final class GRU extends HiddenStateRecurrent {
  private GRU(Builder<GRU> b) {
    super(Recurrence.GRU, b);
  }

  /** Options for a GRU from {@code inputSize} features to {@code hiddenSize}, starting from PyTorch's defaults. */
  public static Builder<GRU> builder(int inputSize, int hiddenSize) {
    return new Builder<>("GRU", inputSize, hiddenSize, GRU::new);
  }
}
