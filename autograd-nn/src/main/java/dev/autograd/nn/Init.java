package dev.autograd.nn;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.array.NDArray;
import java.util.random.RandomGenerator;

/**
 * Weight initialisation schemes. Each draws from an explicit {@link RandomGenerator}, so the same seed gives the same
 * network. {@code fanIn} and {@code fanOut} are the layer's input and output sizes.
 */
@FunctionalInterface
public interface Init {
  NDArray sample(RandomGenerator rng, int fanIn, int fanOut, int... shape);

  /** Uniform in [low, high). */
  static Init uniform(double low, double high) {
    checkArgument(low < high, "Init.uniform: need low < high, got [%s, %s)", low, high);
    return (rng, fanIn, fanOut, shape) -> NDArray.uniform(rng, low, high, shape);
  }

  /** Normal with the given mean and standard deviation. */
  static Init normal(double mean, double std) {
    checkArgument(std > 0, "Init.normal: std must be > 0, got %s", std);
    return (rng, fanIn, fanOut, shape) -> NDArray.randn(rng, shape).mul(std).add(mean);
  }

  static Init zeros() {
    return (rng, fanIn, fanOut, shape) -> NDArray.zeros(shape);
  }

  /** Glorot/Xavier uniform: U(±√(6 / (fanIn + fanOut))). */
  static Init xavierUniform() {
    return (rng, fanIn, fanOut, shape) -> {
      double a = Math.sqrt(6.0 / (fanIn + fanOut));
      return NDArray.uniform(rng, -a, a, shape);
    };
  }

  /** Glorot/Xavier normal: N(0, 2 / (fanIn + fanOut)). */
  static Init xavierNormal() {
    return (rng, fanIn, fanOut, shape) -> NDArray.randn(rng, shape).mul(Math.sqrt(2.0 / (fanIn + fanOut)));
  }

  /** He/Kaiming uniform for ReLU: U(±√(6 / fanIn)). */
  static Init kaimingUniform() {
    return (rng, fanIn, fanOut, shape) -> {
      double a = Math.sqrt(6.0 / fanIn);
      return NDArray.uniform(rng, -a, a, shape);
    };
  }

  /** He/Kaiming normal for ReLU: N(0, 2 / fanIn). */
  static Init kaimingNormal() {
    return (rng, fanIn, fanOut, shape) -> NDArray.randn(rng, shape).mul(Math.sqrt(2.0 / fanIn));
  }

  /** PyTorch's default for {@code nn.Linear} weights and biases: U(±1/√fanIn). */
  static Init pytorchDefault() {
    return (rng, fanIn, fanOut, shape) -> {
      double a = 1.0 / Math.sqrt(fanIn);
      return NDArray.uniform(rng, -a, a, shape);
    };
  }
}
