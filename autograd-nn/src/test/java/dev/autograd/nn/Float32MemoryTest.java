package dev.autograd.nn;

import static dev.autograd.array.DType.FLOAT32;
import static dev.autograd.array.DType.FLOAT64;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autograd.ConvOptions;
import dev.autograd.Value;
import dev.autograd.array.DType;
import dev.autograd.array.NDArray;
import dev.autograd.nn.optim.Adam;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What float32 is for: a model, its gradients and its Adam state take exactly half the bytes of the float64 ones
 * (counted with {@link NDArray#nbytes()}; the one exception, BatchNorm's float64 step counter, is 8 bytes per layer).
 */
class Float32MemoryTest {
  /** Bytes of parameters, gradients, buffers other than counters, and Adam's moments after two steps. */
  private static long trainingBytes(Module model, DType dtype, int[] inputShape) {
    model.to(dtype);
    Adam adam = Adam.builder(model.parameters()).lr(1e-3).amsgrad(true).build();
    for (int k = 0; k < 2; k++) {
      adam.zeroGrad();
      model.forward(Value.randn(new SplittableRandom(k), dtype, inputShape)).pow(2).mean().backward();
      adam.step();
    }
    long bytes = 0;
    for (Value p : model.parameters()) {
      assertEquals(dtype, p.dtype());
      bytes += p.data().nbytes() + p.grad().nbytes();
    }
    for (var e : model.namedBuffers().entrySet()) {
      if (!e.getKey().endsWith("num_batches_tracked")) {
        bytes += e.getValue().data().nbytes();
      }
    }
    int buffers = 0;
    for (var e : adam.stateDict().entrySet()) {
      if (OptimizerDtypeTest.isBuffer(e.getKey())) {
        bytes += e.getValue().nbytes();
        buffers++;
      }
    }
    assertEquals(3 * model.parameters().size(), buffers, "m, v and max_exp_avg_sq per parameter");
    return bytes;
  }

  private static void halves(Supplier<Module> factory, int... inputShape) {
    long wide = trainingBytes(factory.get(), FLOAT64, inputShape);
    long single = trainingBytes(factory.get(), FLOAT32, inputShape);
    assertEquals(wide, 2 * single, "float64 " + wide + " bytes, float32 " + single);
  }

  @Test
  void theMnistMlpTakesHalfTheBytes() {
    Supplier<Module> mlp = () -> MLP.builder().sizes(784, 256, 128, 10).seed(1).build();
    halves(mlp, 8, 784);
    MLP m = MLP.builder().sizes(784, 256, 128, 10).seed(1).build();
    long params = 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10;
    assertEquals(params, m.parameterCount());
    // parameters, gradients and three Adam buffers: 5 arrays of the parameters' size
    assertEquals(5 * 8 * params, trainingBytes(m, FLOAT64, new int[] {8, 784}));
    assertEquals(5 * 4 * params, trainingBytes(MLP.builder().sizes(784, 256, 128, 10).seed(1).build(), FLOAT32,
        new int[] {8, 784}));
  }

  @Test
  void aConvolutionalModelWithBatchNormTakesHalfTheBytes() {
    ConvOptions same = ConvOptions.builder().padding(1).build();
    halves(() -> new Sequential(new Conv2d(1, 4, 3, same, new SplittableRandom(1)), new BatchNorm2d(4),
        new Activations.ReLU(), new Flatten(), new Linear(4 * 6 * 6, 3, new SplittableRandom(2))), 2, 1, 6, 6);
  }
}
