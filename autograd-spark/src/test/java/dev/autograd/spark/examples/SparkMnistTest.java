package dev.autograd.spark.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.autograd.spark.LabeledVector;
import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkMnistTest {
  /** The project's shared copy of the MNIST test set (present on the team's machines and CI). */
  private static final Path MNIST = Path.of("../../shared/data/mnist-t10k");

  @Test
  void loadsMnistIdxFilesAsLabeledVectors() throws Exception {
    Path dir = Files.isDirectory(MNIST) ? MNIST : Path.of("../shared/data/mnist-t10k");
    assumeTrue(Files.isDirectory(dir), "MNIST files not available");
    List<LabeledVector> examples = SparkMnist.load(dir, 300);
    assertEquals(300, examples.size());
    for (LabeledVector v : examples) {
      assertEquals(784, v.features().length);
      assertTrue(v.label() >= 0 && v.label() <= 9);
      for (double x : v.features()) {
        assertTrue(x >= 0 && x <= 1);
      }
    }
    assertEquals(7, examples.get(0).label()); // the first test image is a 7
  }

  @Test
  void aDirectoryWithoutMnistIsReported(@TempDir Path empty) {
    FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> SparkMnist.load(empty, 0));
    assertTrue(e.getMessage().contains("images-idx3-ubyte"), e.getMessage());
  }
}
