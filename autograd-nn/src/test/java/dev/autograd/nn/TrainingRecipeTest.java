package dev.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.Value;
import dev.autograd.array.NDArray;
import dev.autograd.nn.optim.Adam;
import dev.autograd.nn.optim.GradClip;
import dev.autograd.nn.optim.LrScheduler;
import dev.autograd.nn.optim.OneCycle;
import dev.autograd.nn.optim.ReduceLrOnPlateau;
import dev.autograd.nn.optim.SGD;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The README's training recipe, run: the pieces work together and the loss falls. */
class TrainingRecipeTest {
  /** Three Gaussian blobs in 4 dimensions, 20 points each; the class is the blob. */
  private static NDArray blobs(int[] labels) {
    SplittableRandom rng = new SplittableRandom(5);
    double[] d = new double[labels.length * 4];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i % 3;
      for (int j = 0; j < 4; j++) {
        d[i * 4 + j] = (j == labels[i] ? 3.0 : 0.0) + rng.nextGaussian() * 0.7;
      }
    }
    return NDArray.fromFlat(d, labels.length, 4);
  }

  @Test
  void oneCycleSgdWithSmoothingAndClipping() {
    int[] labels = new int[60];
    Value x = Value.of(blobs(labels));
    int epochs = 60;
    // --- the README snippet
    MLP model = MLP.builder().sizes(4, 16, 3).seed(0).build();
    SGD opt = SGD.builder(model.parameters()).lr(0.5).momentum(0.9).nesterov(true).weightDecay(1e-4).build();
    LrScheduler schedule = LrScheduler.of(opt, maxLr -> OneCycle.builder(maxLr, epochs).build());
    CrossEntropyOptions ce = CrossEntropyOptions.builder().labelSmoothing(0.1).build();
    double first = Double.NaN;
    double last = Double.NaN;
    for (int epoch = 0; epoch < epochs; epoch++) {
      opt.zeroGrad();
      Value loss = Losses.crossEntropy(model.forward(x), labels, ce);
      loss.backward();
      GradClip.byNorm(model.parameters(), 1.0, 2.0, false); // returns the norm before clipping
      opt.step();
      schedule.step();
      // ---
      first = epoch == 0 ? loss.item() : first;
      last = loss.item();
    }
    assertTrue(last < first / 2, "loss " + first + " -> " + last);
    NDArray predicted = model.forward(x).data().argmax(1);
    int correct = 0;
    for (int i = 0; i < labels.length; i++) {
      correct += predicted.get(i) == labels[i] ? 1 : 0;
    }
    assertTrue(correct >= 54, "accuracy " + correct + "/60");
    assertEquals(epochs, schedule.lastEpoch());
    // the last step ran at OneCycle's minimum, maxLr/25/1e4 (PyTorch allows one scheduler step past it)
    assertEquals(0.5 / 25 / 1e4, OneCycle.builder(0.5, epochs).build().rate(epochs - 1), 1e-18);
  }

  @Test
  void adamWWithGroupsAndPlateau() {
    Value w = Value.of(2.0, -3.0).requiresGrad(true);
    Value bias = Value.of(1.0).requiresGrad(true);
    Adam opt = Adam.adamW(List.of(w)).lr(0.1).group(List.of(bias), g -> g.lr(0.01).weightDecay(0)).build();
    ReduceLrOnPlateau plateau = ReduceLrOnPlateau.builder(opt).patience(2).factor(0.5).build();
    for (int epoch = 0; epoch < 5; epoch++) {
      opt.zeroGrad();
      Value loss = w.pow(2).sum().add(bias.pow(2).sum());
      loss.backward();
      opt.step();
      plateau.step(1.0); // a metric that never improves: halved after three bad epochs
    }
    assertEquals(0.05, opt.paramGroups().get(0).lr(), 1e-15);
    assertEquals(0.005, opt.paramGroups().get(1).lr(), 1e-15);
  }
}
