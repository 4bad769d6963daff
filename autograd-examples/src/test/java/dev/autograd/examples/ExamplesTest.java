package dev.autograd.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.array.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples on the shared real data, with small budgets, checked against their targets. */
class ExamplesTest {
  @TempDir
  Path out;

  static Path sharedData() {
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared").resolve("data");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    Assumptions.abort("shared/data not found beside the checkout; real-data tests skipped");
    return null;
  }

  @Test
  void workedExampleComputesTheSlideTable() {
    WorkedExample w = new WorkedExample().run();
    assertArrayEquals(new double[] {-22, -6}, w.prediction.grad().toArray());
    assertArrayEquals(new double[] {-96, 64, -48, 32, -354, 236}, w.w1.grad().toArray());
    assertArrayEquals(new double[] {-154, -42, 484, 132, 66, 18}, w.w2.grad().toArray());
  }

  @Test
  void moonsReachesFullAccuracyAndWritesBothPlots() throws IOException {
    double[][] data = Moons.generate(100, 0.1, 1337);
    Moons.Result r = Moons.trainTensor(data, 100, 1337, (k, loss, acc) -> { });
    assertEquals(1.0, r.finalAccuracy());
    assertTrue(r.losses()[99] < r.losses()[0] / 10, "loss fell");
    List<Path> files = Moons.plot(r, data, out);
    for (Path f : files) {
      assertTrue(ImageIO.read(f.toFile()).getWidth() > 400, f + " is a real image");
    }
  }

  @Test
  void scalarAndTensorEnginesTrainIdentically() {
    double[][] data = Moons.generate(100, 0.1, 5);
    Moons.Result tensor = Moons.trainTensor(data, 10, 5, (k, loss, acc) -> { });
    Moons.Result scalar = Moons.trainScalar(data, 10, 5, (k, loss, acc) -> { });
    assertArrayEquals(tensor.losses(), scalar.losses(), 1e-9);
  }

  @Test
  void bikeSharingMeetsTheValidationTarget() throws IOException {
    BikeSharing.Data d = BikeSharing.load(sharedData().resolve("bike-sharing").resolve("hour.csv"));
    assertEquals(21 * 24, d.test().size());
    assertEquals(60 * 24, d.validation().size());
    assertEquals(56, d.features().size());
    assertTrue(!d.features().contains("casual") && !d.features().contains("registered") && !d.features().contains("cnt"));
    BikeSharing.Result r = BikeSharing.train(d, 1200, 128, 42, (k, train, val) -> { });
    assertTrue(r.validationLoss()[1199] < r.validationLoss()[0], "validation loss fell");
    assertTrue(r.finalValidationMse() < 0.15, "validation MSE on standardised cnt: " + r.finalValidationMse());
    assertEquals(2, BikeSharing.plot(r, out).size());
  }

  @Test
  void mnistSplitMeetsItsTarget() throws IOException {
    Mnist.Data d = Mnist.load(sharedData().resolve("mnist-t10k"));
    assertEquals(8000, d.train().size());
    assertEquals(2000, d.test().size());
    Mnist.Result r = Mnist.train(d, 3, 128, 7, (e, s, loss) -> { });
    assertTrue(r.epochLoss()[2] < r.epochLoss()[0], "loss fell");
    assertTrue(r.finalAccuracy() > 0.92, "accuracy on the last 2,000: " + r.finalAccuracy());
    int total = 0;
    for (int[] row : r.confusion()) {
      for (int c : row) {
        total += c;
      }
    }
    assertEquals(2000, total);
    assertTrue(Files.size(Mnist.plotMistakes(r, d, out)) > 1000);
  }

  /**
   * The MLP in float32 (model, Adam state and images) meets the same target, and lands within 0.3 points of the
   * float64 run of the same seed (measured: the same 95.40% after 5 epochs).
   */
  @Test
  void mnistSplitMeetsItsTargetInFloat32() throws IOException {
    Mnist.Data d = Mnist.load(sharedData().resolve("mnist-t10k"));
    Mnist.Result single = Mnist.train(d, Mnist.Architecture.MLP, DType.FLOAT32, 2, 128, 7, (e, s, loss) -> { });
    Mnist.Result wide = Mnist.train(d, Mnist.Architecture.MLP, DType.FLOAT64, 2, 128, 7, (e, s, loss) -> { });
    assertTrue(single.epochLoss()[1] < single.epochLoss()[0], "loss fell");
    assertTrue(single.finalAccuracy() > 0.92, "float32 accuracy on the last 2,000: " + single.finalAccuracy());
    assertTrue(Math.abs(single.finalAccuracy() - wide.finalAccuracy()) <= 0.003, "float32 "
        + single.finalAccuracy() + " against float64 " + wide.finalAccuracy());
    assertEquals(wide.epochLoss()[0], single.epochLoss()[0], 1e-3, "the same training, to float32 accuracy");
  }

  /** The target (98% on the 8k/2k split) with a small budget: 3 epochs instead of the default 8. */
  @Test
  void mnistCnnMeetsTheTargetInThreeEpochs() throws IOException {
    Mnist.Data d = Mnist.load(sharedData().resolve("mnist-t10k"));
    Mnist.Result r = Mnist.train(d, Mnist.Architecture.CNN, 3, 128, 7, (e, s, loss) -> { });
    assertTrue(r.epochLoss()[2] < r.epochLoss()[0], "loss fell");
    assertTrue(r.finalAccuracy() >= 0.98, "CNN accuracy on the last 2,000 after three epochs: " + r.finalAccuracy());
  }
}
