package dev.autograd.nn;

import dev.autograd.Value;

/**
 * A multi-layer GRU (PyTorch's {@code nn.GRU}), each layer stepping as {@link GRUCell}. See
 * {@link StackedRecurrent.Builder} for the options.
 *
 * <pre>{@code
 * GRU gru = GRU.builder(10, 20).numLayers(2).dropout(0.1).seed(1).build();
 * RecurrentOutput out = gru.forward(x, null); // x [L, N, 10]: out.output() [L, N, 20], out.hN() [2, N, 20]
 * }</pre>
 */
public final class GRU extends StackedRecurrent {
  private GRU(Builder<GRU> b) {
    super(Recurrence.GRU, b);
  }

  /** Options for a GRU from {@code inputSize} features to {@code hiddenSize}, starting from PyTorch's defaults. */
  public static Builder<GRU> builder(int inputSize, int hiddenSize) {
    return new Builder<>("GRU", inputSize, hiddenSize, GRU::new);
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
