package dev.autograd.nn;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.Value;
import dev.autograd.array.NDArray;

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
   * GELU (PyTorch's {@code nn.GELU(approximate)}). The default, {@code "none"}, is the exact x·Φ(x), computed as
   * x/2·erfc(−x/√2) so that it keeps full relative accuracy for large negative x (where 1 + erf(x/√2) cancels);
   * {@code "tanh"} is the approximation used by GPT-2: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
   */
  public static final class GELU extends Module {
    private static final double C = Math.sqrt(2.0 / Math.PI);
    private final boolean tanh;

    /** The exact GELU, PyTorch's default. */
    public GELU() {
      this("none");
    }

    /**
     * @param approximate {@code "none"} (exact) or {@code "tanh"}
     * @throws IllegalArgumentException for any other string
     */
    public GELU(String approximate) {
      checkArgument("none".equals(approximate) || "tanh".equals(approximate),
          "GELU: approximate must be 'none' or 'tanh', got '%s'", approximate);
      this.tanh = "tanh".equals(approximate);
    }

    @Override
    public Value forward(Value x) {
      if (tanh) {
        Value inner = x.add(x.pow(3).mul(0.044715)).mul(C);
        return x.mul(inner.tanh().add(1.0)).mul(0.5);
      }
      return x.mul(x.mul(-Math.sqrt(0.5)).erfc()).mul(0.5);
    }

    @Override
    protected String describe() {
      return tanh ? "GELU(approximate='tanh')" : "GELU";
    }
  }

  /**
   * ELU(α): x for x &gt; 0, α·(eˣ − 1) otherwise; the gradient at 0 is α, as PyTorch's. Built as
   * relu(x) + α·expm1(min(x, 0)), so a large positive x never evaluates a huge exponential.
   */
  public static final class ELU extends Module {
    private final double alpha;

    /** α = 1, PyTorch's default. */
    public ELU() {
      this(1.0);
    }

    /** @throws IllegalArgumentException if alpha is not finite */
    public ELU(double alpha) {
      checkArgument(Double.isFinite(alpha), "ELU: alpha must be finite, got %s", alpha);
      this.alpha = alpha;
    }

    @Override
    public Value forward(Value x) {
      return elu(x, alpha);
    }

    static Value elu(Value x, double alpha) {
      return x.relu().add(x.clamp(Double.NEGATIVE_INFINITY, 0.0).expm1().mul(alpha));
    }

    @Override
    protected String describe() {
      return "ELU(alpha=" + alpha + ")";
    }
  }

  /** SELU: scale·ELU(x, α) with PyTorch's constants α ≈ 1.6733 and scale ≈ 1.0507 (self-normalising networks). */
  public static final class SELU extends Module {
    static final double ALPHA = 1.6732632423543772848170429916717;
    static final double SCALE = 1.0507009873554804934193349852946;

    @Override
    public Value forward(Value x) {
      return ELU.elu(x, ALPHA).mul(SCALE);
    }
  }

  /** SiLU (swish): x·σ(x). */
  public static final class SiLU extends Module {
    @Override
    public Value forward(Value x) {
      return x.mul(x.sigmoid());
    }
  }

  /** Mish: x·tanh(softplus(x)). */
  public static final class Mish extends Module {
    @Override
    public Value forward(Value x) {
      return x.mul(x.softplus().tanh());
    }
  }

  /** Softsign: x / (1 + |x|). */
  public static final class Softsign extends Module {
    @Override
    public Value forward(Value x) {
      return x.div(x.abs().add(1.0));
    }
  }

  /**
   * Hardtanh(minVal, maxVal): x limited to [minVal, maxVal] (defaults −1 and 1). As in PyTorch, the gradient is 1
   * strictly inside the interval and 0 at and beyond its ends.
   */
  public static final class Hardtanh extends Module {
    private final double min;
    private final double max;

    /** Limits to [−1, 1], PyTorch's defaults. */
    public Hardtanh() {
      this(-1.0, 1.0);
    }

    /** @throws IllegalArgumentException unless minVal &lt; maxVal */
    public Hardtanh(double minVal, double maxVal) {
      checkArgument(minVal < maxVal, "Hardtanh: need minVal < maxVal, got %s and %s", minVal, maxVal);
      this.min = minVal;
      this.max = maxVal;
    }

    @Override
    public Value forward(Value x) {
      Value inside = Value.of(x.data().gt(NDArray.scalar(min)).mul(x.data().lt(NDArray.scalar(max))));
      return Value.where(inside, x, x.clamp(min, max).detach());
    }

    @Override
    protected String describe() {
      return "Hardtanh(" + min + ", " + max + ")";
    }
  }

  /** LogSigmoid: log σ(x), computed as −softplus(−x) so it is finite and accurate for any x. */
  public static final class LogSigmoid extends Module {
    @Override
    public Value forward(Value x) {
      return x.neg().softplus().neg();
    }
  }
}
