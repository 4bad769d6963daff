package dev.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.Conv;
import dev.autograd.ConvOptions;
import dev.autograd.GradCheck;
import dev.autograd.PoolOptions;
import dev.autograd.Value;
import dev.autograd.array.NDArray;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Conv1d/Conv2d and the pooling layers: shapes, PyTorch's initialisation, gradients, and the adaptive bins. */
class ConvLayersTest {
  private static final GradCheck CHECK = GradCheck.create();

  @Test
  void conv2dIsTheFunctionalOpWithItsOwnParameters() {
    SplittableRandom rng = new SplittableRandom(1);
    ConvOptions opts = ConvOptions.builder().stride(2).padding(1).groups(2).build();
    Conv2d conv = new Conv2d(4, 6, 3, opts, rng);
    assertArrayEquals(new int[] {6, 2, 3, 3}, conv.weight().shape());
    assertArrayEquals(new int[] {6}, conv.bias().shape());
    Value x = Value.randn(rng, 2, 4, 7, 5);
    Value y = conv.forward(x);
    assertArrayEquals(new int[] {2, 6, 4, 3}, y.shape());
    assertTrue(y.data().allClose(Conv.conv2d(x, conv.weight(), conv.bias(), opts).data(), 0, 0));
    double bound = 1 / Math.sqrt(2 * 3 * 3); // fanIn = in/groups·kH·kW
    assertTrue(conv.weight().data().abs().max().item() <= bound, "weights within PyTorch's uniform bound");
    assertTrue(conv.weight().data().abs().max().item() > bound / 2, "and spread over it");
    assertEquals(6 * 2 * 9 + 6, conv.parameterCount());
  }

  @Test
  void conv1dWithoutBias() {
    SplittableRandom rng = new SplittableRandom(2);
    Conv1d conv = new Conv1d(3, 5, 4, ConvOptions.builder().dilation(2).build(), false, rng);
    assertEquals(null, conv.bias());
    assertArrayEquals(new int[] {2, 5, 4}, conv.forward(Value.randn(rng, 2, 3, 10)).shape());
  }

  @Test
  void gradientsReachEveryParameter() {
    SplittableRandom rng = new SplittableRandom(3);
    Conv2d conv = new Conv2d(2, 3, 2, ConvOptions.builder().padding(1).build(), rng);
    NDArray x = NDArray.randn(rng, 2, 2, 4, 3);
    CHECK.verify(xs -> Conv.conv2d(xs[0], xs[1], xs[2], ConvOptions.builder().padding(1).build()).tanh(), x,
        conv.weight().data(), conv.bias().data());
    CHECK.verify(xs -> new Pooling.MaxPool2d(2).forward(conv.forward(xs[0])), x);
    CHECK.verify(xs -> new Pooling.AdaptiveAvgPool2d(2, 3).forward(xs[0].square()), NDArray.randn(rng, 1, 2, 5, 4));
    CHECK.verifySecondOrder(xs -> new Pooling.AvgPool2d(PoolOptions.builder(2).stride(1).build()).forward(
        xs[0].square()), NDArray.randn(rng, 1, 2, 3, 3));
    Conv1d conv1 = new Conv1d(2, 3, 2, ConvOptions.builder().stride(2).padding(1).build(), true, rng);
    CHECK.verify(xs -> Conv.conv1d(xs[0], xs[1], xs[2], ConvOptions.builder().stride(2).padding(1).build()).tanh(),
        NDArray.randn(rng, 2, 2, 5), conv1.weight().data(), conv1.bias().data());
    CHECK.verifySecondOrder(xs -> conv1.forward(xs[0]).tanh(), NDArray.randn(rng, 1, 2, 5));
  }

  @Test
  void adaptiveAveragePoolingUsesPyTorchsOverlappingBins() {
    // 5 rows into 2 bins: rows 0..2 and 2..4 (floor(i·5/2) .. ceil((i+1)·5/2)); 4 columns into 3: 0..1, 1..2, 2..3
    double[] v = new double[20];
    for (int i = 0; i < 20; i++) {
      v[i] = i;
    }
    Value x = Value.of(NDArray.fromFlat(v, 1, 1, 5, 4));
    Value y = new Pooling.AdaptiveAvgPool2d(2, 3).forward(x);
    assertArrayEquals(new int[] {1, 1, 2, 3}, y.shape());
    double[] expected = new double[6];
    int[][] rows = {{0, 3}, {2, 5}};
    int[][] cols = {{0, 2}, {1, 3}, {2, 4}};
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        double s = 0;
        int n = 0;
        for (int r = rows[i][0]; r < rows[i][1]; r++) {
          for (int c = cols[j][0]; c < cols[j][1]; c++) {
            s += v[r * 4 + c];
            n++;
          }
        }
        expected[i * 3 + j] = s / n;
      }
    }
    assertArrayEquals(expected, y.data().toArray(), 1e-12);
    Value divisible = new Pooling.AdaptiveAvgPool2d(1).forward(x.reshape(1, 1, 4, 5));
    assertEquals(9.5, divisible.item(), 1e-12, "global average");
  }

  @Test
  void poolingLayersShapes() {
    Value x = Value.randn(new SplittableRandom(4), 2, 3, 8, 8);
    assertArrayEquals(new int[] {2, 3, 4, 4}, new Pooling.MaxPool2d(2).forward(x).shape());
    assertArrayEquals(new int[] {2, 3, 3, 3},
        new Pooling.AvgPool2d(PoolOptions.builder(3).stride(2).padding(1).build()).forward(x.slice(2, 0, 6)
            .slice(3, 0, 6)).shape());
  }

  @Test
  void badConfigurationsAreRefusedWithTheirNumbers() {
    SplittableRandom rng = new SplittableRandom(5);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Conv2d(3, 4, 3, ConvOptions.builder().groups(2).build(), rng));
    assertTrue(e.getMessage().contains("groups=2") && e.getMessage().contains("in_channels=3"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Conv1d(0, 4, 3, rng));
    assertTrue(e.getMessage().contains("Conv1d"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Pooling.AdaptiveAvgPool2d(0));
    assertTrue(e.getMessage().contains("AdaptiveAvgPool2d"), e.getMessage());
    Conv2d conv = new Conv2d(3, 4, 3, rng);
    e = assertThrows(IllegalArgumentException.class, () -> conv.forward(Value.zeros(1, 2, 5, 5)));
    assertTrue(e.getMessage().contains("conv2d"), e.getMessage());
  }
}
