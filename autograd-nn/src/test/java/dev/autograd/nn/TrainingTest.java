package dev.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.Autograd;
import dev.autograd.ModeScope;
import dev.autograd.Value;
import dev.autograd.array.NDArray;
import dev.autograd.nn.data.Batch;
import dev.autograd.nn.data.CsvTable;
import dev.autograd.nn.data.DataLoader;
import dev.autograd.nn.data.Idx;
import dev.autograd.nn.data.TensorDataset;
import dev.autograd.nn.optim.Adam;
import dev.autograd.nn.optim.SGD;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** End-to-end training on the shared real data sets, with small budgets. */
class TrainingTest {

  /** micrograd's demo: MLP 2-16-16-1, max-margin loss + 1e-4·L2, SGD with lr 1 → 0.1 over 100 steps. */
  @Test
  void moonsReachesFullTrainingAccuracy() throws IOException {
    CsvTable moons = CsvTable.read(SharedData.dir().resolve("moons100.csv"));
    Value x = Value.of(moons.toArray("x0", "x1"));
    Value y = Value.of(moons.toArray("y"));
    MLP model = MLP.builder().sizes(2, 16, 16, 1).init(Init.uniform(-1, 1), Init.zeros()).seed(1337).build();
    SGD sgd = new SGD(model.parameters(), 1.0);
    double firstLoss = Double.NaN;
    double loss = Double.NaN;
    for (int k = 0; k < 100; k++) {
      Value scores = model.forward(x);
      Value total = Losses.hinge(scores, y).add(Losses.l2Penalty(model.parameters()).mul(1e-4));
      model.zeroGrad();
      total.backward();
      sgd.setLearningRate(1.0 - 0.9 * k / 100);
      sgd.step();
      loss = total.item();
      firstLoss = k == 0 ? loss : firstLoss;
    }
    assertEquals(1.0, accuracy(model, x, y), "training accuracy after 100 steps (loss " + loss + ")");
    assertTrue(loss < firstLoss / 5, "loss fell from " + firstLoss + " to " + loss);
  }

  private static double accuracy(Module model, Value x, Value y) {
    try (ModeScope s = Autograd.noGrad()) {
      double[] scores = model.forward(x).data().toArray();
      double[] labels = y.data().toArray();
      int correct = 0;
      for (int i = 0; i < scores.length; i++) {
        correct += (scores[i] > 0) == (labels[i] > 0) ? 1 : 0;
      }
      return correct / (double) scores.length;
    }
  }

  /** MNIST test-set files: train on the first 8,000 images, evaluate on the last 2,000. */
  @Test
  void mnistMlpExceedsNinetyPercent() throws IOException {
    Path dir = SharedData.dir().resolve("mnist-t10k");
    NDArray pixels = Idx.readImages(dir.resolve("t10k-images-idx3-ubyte.gz")).pixels();
    int[] labels = Idx.readLabels(dir.resolve("t10k-labels-idx1-ubyte.gz"));
    NDArray targets = NDArray.fromFlat(java.util.Arrays.stream(labels).asDoubleStream().toArray(), labels.length);
    TensorDataset all = new TensorDataset(pixels, targets);
    TensorDataset train = all.slice(0, 8000);
    TensorDataset test = all.slice(8000, 10000);

    MLP model = MLP.builder().sizes(784, 128, 10).init(Init.kaimingUniform(), Init.zeros()).seed(7).build();
    Adam adam = new Adam(model.parameters(), 1e-3);
    DataLoader loader = DataLoader.builder(train).batchSize(64).shuffle(true).seed(42).build();
    double firstEpochLoss = 0;
    double lastEpochLoss = 0;
    for (int epoch = 0; epoch < 3; epoch++) {
      double sum = 0;
      for (Batch b : loader) {
        Value loss = Losses.crossEntropy(model.forward(Value.of(b.inputs())), b.labels());
        adam.zeroGrad();
        loss.backward();
        adam.step();
        sum += loss.item();
      }
      lastEpochLoss = sum / loader.batchesPerEpoch();
      firstEpochLoss = epoch == 0 ? lastEpochLoss : firstEpochLoss;
    }
    model.eval();
    double accuracy;
    try (ModeScope s = Autograd.noGrad()) {
      NDArray predicted = model.forward(Value.of(test.features())).data().argmax(1);
      accuracy = predicted.eq(test.targets()).mean().item();
    }
    assertTrue(lastEpochLoss < firstEpochLoss, "loss fell: " + firstEpochLoss + " -> " + lastEpochLoss);
    assertTrue(accuracy > 0.90, "test accuracy on the last 2,000 images: " + accuracy);
  }
}
