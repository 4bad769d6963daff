package dev.autograd.nn;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import dev.autograd.Value;
import dev.autograd.array.Shapes;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * A multi-layer perceptron: Linear layers with an activation between them (none after the last).
 *
 * <pre>{@code
 * MLP net = MLP.builder().sizes(2, 16, 16, 1).activation(Activations.ReLU::new).seed(42).build();
 * }</pre>
 */
public final class MLP extends Module {
  private final Sequential layers;

  private MLP(Builder b) {
    SplittableRandom rng = new SplittableRandom(b.seed);
    layers = registerModule("layers", new Sequential());
    for (int i = 0; i + 1 < b.sizes.length; i++) {
      layers.add(new Linear(b.sizes[i], b.sizes[i + 1], true, b.weightInit, b.biasInit, rng));
      if (i + 2 < b.sizes.length) {
        layers.add(b.activation.get());
        if (b.dropout > 0) {
          layers.add(new Dropout(b.dropout, rng.nextLong()));
        }
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Value forward(Value x) {
    return layers.forward(x);
  }

  public Sequential layers() {
    return layers;
  }

  @Override
  protected String describe() {
    return "MLP";
  }

  /** Configures an {@link MLP}; sizes are required, the rest defaults to ReLU, PyTorch init and seed 0. */
  public static final class Builder {
    private int[] sizes;
    private Supplier<Module> activation = Activations.ReLU::new;
    private Init weightInit = Init.pytorchDefault();
    private Init biasInit = Init.pytorchDefault();
    private long seed;
    private double dropout;

    /** Layer widths from input to output, at least two. */
    public Builder sizes(int... widths) {
      checkArgument(widths.length >= 2, "MLP: need at least input and output sizes, got %s", widths.length);
      for (int w : widths) {
        checkArgument(w > 0, "MLP: sizes must be positive, got %s", Shapes.lazyFormat(widths));
      }
      this.sizes = widths.clone();
      return this;
    }

    public Builder activation(Supplier<Module> factory) {
      this.activation = factory;
      return this;
    }

    public Builder init(Init weights, Init biases) {
      this.weightInit = weights;
      this.biasInit = biases;
      return this;
    }

    public Builder seed(long s) {
      this.seed = s;
      return this;
    }

    /** Dropout probability after each hidden activation (0 = none). */
    public Builder dropout(double p) {
      this.dropout = Dropout.checkP("MLP", p);
      return this;
    }

    public MLP build() {
      checkState(sizes != null, "MLP: sizes(...) is required");
      return new MLP(this);
    }
  }
}
