package dev.autograd.nn;

import dev.autograd.Value;

/** What {@link RNN} and {@link GRU} share: one hidden state per layer, as input and as result. */
public abstract class HiddenStateRecurrent extends StackedRecurrent {
  HiddenStateRecurrent(Recurrence kind, Builder<?> b) {
    super(kind, b);
  }

  /** The output sequence from zero initial states (what {@link Sequential} passes on). */
  @Override
  public final Value forward(Value input) {
    return run(input, (Value) null)[0];
  }

  /** The output sequence and final hidden states; {@code h0} null means zeros. */
  public final RecurrentOutput forward(Value input, Value h0) {
    Value[] r = run(input, h0);
    return new RecurrentOutput(r[0], r[1]);
  }
}
