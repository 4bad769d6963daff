package dev.autograd.nn;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.Value;

/** Activation functions as parameter-free modules, each a thin wrapper over core ops. */
public final class Activations {
  private Activations() {}

  public static final class ReLU extends Module {
    @Override
    public Value forward(Value x) {
      return x.relu();
    }
  }

  public static final class LeakyReLU extends Module {
    private final double slope;

    public LeakyReLU() {
      this(0.01);
    }

    public LeakyReLU(double slope) {
      checkArgument(Double.isFinite(slope), "LeakyReLU: slope must be finite, got %s", slope);
      this.slope = slope;
    }

    @Override
    public Value forward(Value x) {
      return x.leakyRelu(slope);
    }

    @Override
    protected String describe() {
      return "LeakyReLU(" + slope + ")";
    }
  }

  public static final class Sigmoid extends Module {
    @Override
    public Value forward(Value x) {
      return x.sigmoid();
    }
  }

  public static final class Tanh extends Module {
    @Override
    public Value forward(Value x) {
      return x.tanh();
    }
  }

  /** Softmax along an axis (default: the last). */
  public static final class Softmax extends Module {
    private final int axis;

    public Softmax() {
      this(-1);
    }

    public Softmax(int axis) {
      this.axis = axis;
    }

    @Override
    public Value forward(Value x) {
      return x.softmax(axis);
    }

    @Override
    protected String describe() {
      return "Softmax(axis=" + axis + ")";
    }
  }

  /**
   * GELU with the tanh approximation used by GPT-2 and PyTorch's {@code approximate="tanh"}:
   * 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
   */
  public static final class GELU extends Module {
    private static final double C = Math.sqrt(2.0 / Math.PI);

    @Override
    public Value forward(Value x) {
      Value inner = x.add(x.pow(3).mul(0.044715)).mul(C);
      return x.mul(inner.tanh().add(1.0)).mul(0.5);
    }
  }
}
