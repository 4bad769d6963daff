package dev.autograd.nn;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.Value;
import dev.autograd.array.Shapes;
import java.util.random.RandomGenerator;

/**
 * One step of a recurrent layer (the common part of {@link RNNCell}, {@link GRUCell} and {@link LSTMCell}):
 * parameters {@code weight_ih [gates·H, I]}, {@code weight_hh [gates·H, H]}, {@code bias_ih}, {@code bias_hh
 * [gates·H]}. Inputs are {@code [N, I]} with states {@code [N, H]}, or unbatched {@code [I]} with states {@code [H]}.
 */
abstract class RecurrentCell extends Module {
  private final Recurrence kind;
  private final int inputSize;
  private final int hiddenSize;
  private final Value[] weights;

  RecurrentCell(Recurrence kind, int inputSize, int hiddenSize, boolean bias, RandomGenerator rng) {
    checkArgument(inputSize > 0 && hiddenSize > 0, "%s: inputSize and hiddenSize must be positive, got %s and %s",
        getClass().getSimpleName(), inputSize, hiddenSize);
    this.kind = kind;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.weights = kind.registerWeights(this, "", inputSize, hiddenSize, bias, rng);
  }

  /** The next states; a null state means zeros. */
  final Value[] cellStep(Value x, Value... state) {
    String name = getClass().getSimpleName();
    checkArgument((x.rank() == 1 || x.rank() == 2) && x.shape()[x.rank() - 1] == inputSize,
        "%s: expected an input [N, %s] or [%s], got shape %s", name, inputSize, inputSize,
        Shapes.lazyFormat(x.shape()));
    boolean unbatched = x.rank() == 1;
    Value xb = unbatched ? x.unsqueeze(0) : x;
    int n = xb.shape()[0];
    Value[] s = new Value[state.length];
    for (int k = 0; k < state.length; k++) {
      if (state[k] == null) {
        s[k] = Value.zeros(x.dtype(), n, hiddenSize); // the input's dtype, as PyTorch's zeros
      } else {
        int[] expected = unbatched ? new int[] {hiddenSize} : new int[] {n, hiddenSize};
        checkArgument(java.util.Arrays.equals(state[k].shape(), expected),
            "%s: expected a hidden state of shape %s for input shape %s, got %s", name, Shapes.lazyFormat(expected),
            Shapes.lazyFormat(x.shape()), Shapes.lazyFormat(state[k].shape()));
        s[k] = unbatched ? state[k].unsqueeze(0) : state[k];
      }
    }
    Value xProj = xb.matmulTransposed(weights[0]);
    if (weights[2] != null) {
      xProj = xProj.add(weights[2]);
    }
    Value[] next = kind.step(xProj, s, weights[1], weights[3]);
    if (unbatched) {
      for (int k = 0; k < next.length; k++) {
        next[k] = next[k].squeeze(0);
      }
    }
    return next;
  }

  /** I, the input features. */
  public final int inputSize() {
    return inputSize;
  }

  /** H, the hidden features. */
  public final int hiddenSize() {
    return hiddenSize;
  }

  @Override
  protected String describe() {
    return getClass().getSimpleName() + "(" + inputSize + ", " + hiddenSize + (weights[2] == null ? ", bias=false"
        : "") + ")";
  }
}
