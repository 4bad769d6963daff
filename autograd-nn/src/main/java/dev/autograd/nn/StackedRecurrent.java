package dev.autograd.nn;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.Value;
import dev.autograd.array.Shapes;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A stack of recurrent layers run over a sequence (the common part of {@link RNN}, {@link GRU} and {@link LSTM}, as
 * PyTorch's {@code RNNBase}). Layer k has parameters {@code weight_ih_lk}, {@code weight_hh_lk}, {@code bias_ih_lk},
 * {@code bias_hh_lk}; layer 0 reads the input, layer k &gt; 0 the hidden states of layer k − 1, with dropout between
 * layers in training mode. Input {@code [L, N, I]} ({@code [N, L, I]} when batchFirst) or unbatched {@code [L, I]};
 * states {@code [numLayers, N, H]} or unbatched {@code [numLayers, H]}. Bidirectional layers and LSTM projections
 * are not supported.
 */
public abstract class StackedRecurrent extends Module {
  private final Recurrence kind;
  private final int inputSize;
  private final int hiddenSize;
  private final int numLayers;
  private final boolean batchFirst;
  private final double dropout;
  private final SplittableRandom rng;
  private final Value[][] weights;

  StackedRecurrent(Recurrence kind, Builder<?> b) {
    this.kind = kind;
    this.inputSize = b.inputSize;
    this.hiddenSize = b.hiddenSize;
    this.numLayers = b.numLayers;
    this.batchFirst = b.batchFirst;
    this.dropout = b.dropout;
    this.rng = new SplittableRandom(b.seed);
    this.weights = new Value[numLayers][];
    for (int k = 0; k < numLayers; k++) {
      weights[k] = kind.registerWeights(this, "_l" + k, k == 0 ? inputSize : hiddenSize, hiddenSize, b.bias, rng);
    }
  }

  /**
   * Runs the stack: returns the top layer's hidden state at every step (in the input's layout) followed by the final
   * state(s) of every layer stacked on axis 0. A null initial state means zeros.
   */
  final Value[] run(Value input, Value... initial) {
    String name = getClass().getSimpleName();
    checkArgument((input.rank() == 2 || input.rank() == 3) && input.shape()[input.rank() - 1] == inputSize,
        "%s: expected an input [L, N, %s] (batchFirst: [N, L, %s]) or unbatched [L, %s], got shape %s", name,
        inputSize, inputSize, inputSize, Shapes.lazyFormat(input.shape()));
    boolean unbatched = input.rank() == 2;
    Value x = unbatched ? input.unsqueeze(1) : batchFirst ? input.transpose(0, 1) : input;
    int len = x.shape()[0];
    int n = x.shape()[1];
    checkArgument(len > 0, "%s: the sequence is empty, got shape %s", name, Shapes.lazyFormat(input.shape()));
    Value[][] state = new Value[numLayers][kind.states];
    for (int s = 0; s < kind.states; s++) {
      Value given = initial[s];
      if (given != null) {
        int[] expected = unbatched ? new int[] {numLayers, hiddenSize} : new int[] {numLayers, n, hiddenSize};
        checkArgument(Arrays.equals(given.shape(), expected),
            "%s: expected an initial state of shape %s for input shape %s, got %s", name, Shapes.lazyFormat(expected),
            Shapes.lazyFormat(input.shape()), Shapes.lazyFormat(given.shape()));
      }
      for (int k = 0; k < numLayers; k++) {
        state[k][s] = given == null ? Value.zeros(x.dtype(), n, hiddenSize) // the input's dtype, as PyTorch's zeros
            : given.slice(0, k, k + 1).reshape(n, hiddenSize);
      }
    }
    for (int k = 0; k < numLayers; k++) {
      if (k > 0 && dropout > 0 && isTraining()) {
        x = x.mul(Value.of(Dropout.keepMask(rng, dropout, x.dtype(), x.shape())));
      }
      Value xProj = x.matmulTransposed(weights[k][0]); // every step's input projection in one product
      if (weights[k][2] != null) {
        xProj = xProj.add(weights[k][2]);
      }
      Value[] outputs = new Value[len];
      for (int t = 0; t < len; t++) {
        state[k] = kind.step(xProj.slice(0, t, t + 1).reshape(n, -1), state[k], weights[k][1], weights[k][3]);
        outputs[t] = state[k][0];
      }
      x = Value.stack(0, outputs);
    }
    Value[] result = new Value[1 + kind.states];
    result[0] = unbatched ? x.squeeze(1) : batchFirst ? x.transpose(0, 1) : x;
    for (int s = 0; s < kind.states; s++) {
      Value[] perLayer = new Value[numLayers];
      for (int k = 0; k < numLayers; k++) {
        perLayer[k] = state[k][s];
      }
      Value stacked = Value.stack(0, perLayer);
      result[1 + s] = unbatched ? stacked.squeeze(1) : stacked;
    }
    return result;
  }

  /** I, the input features. */
  public final int inputSize() {
    return inputSize;
  }

  /** H, the hidden features of every layer. */
  public final int hiddenSize() {
    return hiddenSize;
  }

  /** The number of stacked layers. */
  public final int numLayers() {
    return numLayers;
  }

  /** Whether inputs and outputs are {@code [N, L, *]}. */
  public final boolean batchFirst() {
    return batchFirst;
  }

  @Override
  protected String describe() {
    return String.format(java.util.Locale.ROOT, "%s(%d, %d, numLayers=%d%s, batchFirst=%s, dropout=%s)",
        getClass().getSimpleName(), inputSize, hiddenSize, numLayers,
        kind == Recurrence.RNN_RELU ? ", nonlinearity=relu" : "", batchFirst, dropout);
  }

  /**
   * Options with PyTorch's names and defaults: numLayers 1, bias true, batchFirst false, dropout 0 (applied to the
   * outputs of every layer but the last, in training mode), and seed 0 for the initial weights and dropout masks.
   */
  public static final class Builder<T extends StackedRecurrent> {
    private final String layer;
    private final int inputSize;
    private final int hiddenSize;
    private final Function<Builder<T>, T> make;
    private int numLayers = 1;
    private boolean bias = true;
    private boolean batchFirst;
    private double dropout;
    private long seed;
    String nonlinearity = "tanh";

    Builder(String layer, int inputSize, int hiddenSize, Function<Builder<T>, T> make) {
      checkArgument(inputSize > 0 && hiddenSize > 0, "%s: inputSize and hiddenSize must be positive, got %s and %s",
          layer, inputSize, hiddenSize);
      this.layer = layer;
      this.inputSize = inputSize;
      this.hiddenSize = hiddenSize;
      this.make = make;
    }

    /** Stacked layers, at least 1. */
    public Builder<T> numLayers(int layers) {
      checkArgument(layers > 0, "%s: numLayers must be positive, got %s", layer, layers);
      this.numLayers = layers;
      return this;
    }

    /** Whether the layers have {@code bias_ih} and {@code bias_hh}. */
    public Builder<T> bias(boolean b) {
      this.bias = b;
      return this;
    }

    /** Inputs and outputs as {@code [N, L, *]} instead of {@code [L, N, *]} (states keep {@code [layers, N, H]}). */
    public Builder<T> batchFirst(boolean b) {
      this.batchFirst = b;
      return this;
    }

    /** Dropout probability on the outputs of each layer but the last, in training mode. */
    public Builder<T> dropout(double p) {
      this.dropout = Dropout.checkP(layer, p);
      return this;
    }

    /** Only for {@link RNN}: {@code "tanh"} (default) or {@code "relu"}. */
    public Builder<T> nonlinearity(String name) {
      Recurrence.rnn(layer, name);
      checkArgument("RNN".equals(layer) || "tanh".equals(name), "%s: nonlinearity is an option of RNN only", layer);
      this.nonlinearity = name;
      return this;
    }

    /** Seeds the initial weights and the dropout masks. */
    public Builder<T> seed(long s) {
      this.seed = s;
      return this;
    }

    /** The module with these options. */
    public T build() {
      return make.apply(this);
    }
  }
}
