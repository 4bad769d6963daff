package dev.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.autograd.Value;
import dev.autograd.array.NDArray;
import dev.autograd.nn.optim.SGD;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The lecture's 2-3-2 network built from Linear layers: same exact gradients, and one SGD step at lr 1/100. */
class WorkedExampleLayersTest {
  private static final double EXACT = 1e-12;

  static Sequential network() {
    SplittableRandom rng = new SplittableRandom(0);
    Linear first = new Linear(2, 3, rng);
    Linear second = new Linear(3, 2, rng);
    first.weight().setData(NDArray.of(new double[][] {{1, -2}, {-4, 5}, {-1, 0}}));   // rows u1..u3: gives u=(7,-22,-3)
    first.bias().setData(NDArray.zeros(3));
    second.weight().setData(NDArray.of(new double[][] {{2, -2}, {1, -1}, {4, 5}}).transpose()); // stored [out, in]
    second.bias().setData(NDArray.of(-1, 5));
    return new Sequential(first, second);
  }

  @Test
  void gradientsMatchTheSlides() {
    Sequential net = network();
    Value prediction = net.forward(Value.of(new double[][] {{3, -2}}));
    Losses.mse(prediction, Value.of(new double[][] {{1, 4}}), Reduction.SUM).mul(0.5).backward();
    Linear first = (Linear) net.get(0);
    Linear second = (Linear) net.get(1);
    assertArrayEquals(new double[] {-154, 484, 66, -42, 132, 18}, second.weight().grad().toArray(), EXACT);
    assertArrayEquals(new double[] {-22, -6}, second.bias().grad().toArray(), EXACT);
    assertArrayEquals(new double[] {-96, 64, -48, 32, -354, 236}, first.weight().grad().toArray(), EXACT);
    assertArrayEquals(new double[] {-32, -16, -118}, first.bias().grad().toArray(), EXACT);
  }

  @Test
  void oneSgdStepAtOneHundredthMovesAgainstTheGradient() {
    Sequential net = network();
    Value prediction = net.forward(Value.of(new double[][] {{3, -2}}));
    Losses.mse(prediction, Value.of(new double[][] {{1, 4}}), Reduction.SUM).mul(0.5).backward();
    new SGD(net.parameters(), 0.01).step();
    Linear first = (Linear) net.get(0);
    Linear second = (Linear) net.get(1);
    // w ← w − (1/100)·∂L/∂w, by hand from the slide's table
    assertArrayEquals(new double[] {1 + 0.96, -2 - 0.64, -4 + 0.48, 5 - 0.32, -1 + 3.54, 0 - 2.36},
        first.weight().data().toArray(),
        EXACT);
    assertArrayEquals(new double[] {0.32, 0.16, 1.18}, first.bias().data().toArray(), EXACT);
    assertArrayEquals(new double[] {2 + 1.54, 1 - 4.84, 4 - 0.66, -2 + 0.42, -1 - 1.32, 5 - 0.18},
        second.weight().data().toArray(), EXACT);
    assertArrayEquals(new double[] {-0.78, 5.06}, second.bias().data().toArray(), EXACT);
  }
}
