package dev.autograd.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.array.NDArray;
import dev.autograd.nn.MLP;
import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trainer resumed from a Hadoop-path checkpoint continues exactly as an uninterrupted one. */
class CheckpointResumeTest {
  @TempDir
  Path dir;

  @Test
  void tenStepsCheckpointThenTenMoreEqualsTwentyUninterrupted() throws Exception {
    JavaRDD<LabeledVector> rdd = TestSpark.context().parallelize(Fixtures.data(300), 4);
    String uri = dir.toUri() + "run/model.safetensors"; // a file: URI through Hadoop's FileSystem
    try (SparkTrainer<LabeledVector> first = DistributedEquivalenceTest.builder().build(rdd)) {
      first.train(9);
      first.saveCheckpoint(uri);
      first.train(1);
      first.saveCheckpoint(uri); // replaces the 9-step file atomically (the resumed trainer must see step 10)
    }
    try (Stream<Path> files = Files.list(dir.resolve("run"))) {
      List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")).toList();
      assertEquals(List.of("model.safetensors"), names, "no temporary files may be left");
    }

    // the resumed trainer starts from a differently initialised model: everything must come from the checkpoint
    SparkTrainer.Builder<LabeledVector> other = DistributedEquivalenceTest.builder()
        .model(() -> MLP.builder().sizes(Fixtures.FEATURES, 16, 12, Fixtures.CLASSES)
            .activation(dev.autograd.nn.Activations.Tanh::new).seed(99).build());
    try (SparkTrainer<LabeledVector> resumed = other.build(rdd);
        SparkTrainer<LabeledVector> uninterrupted = DistributedEquivalenceTest.builder().build(rdd)) {
      resumed.loadCheckpoint(uri);
      assertEquals(10, resumed.stepCount());
      resumed.train(10);
      uninterrupted.train(20);
      assertEquals(20, resumed.stepCount());
      assertTrue(Fixtures.bitwiseEqual(resumed.model(), uninterrupted.model()), "parameters differ");
      Map<String, NDArray> a = resumed.optimizer().stateDict();
      Map<String, NDArray> b = uninterrupted.optimizer().stateDict();
      assertEquals(b.keySet(), a.keySet());
      b.forEach((k, v) -> assertTrue(java.util.Arrays.equals(v.toArray(), a.get(k).toArray()), "optimizer " + k));
    }
  }

  @Test
  void missingCheckpointIsReported() {
    JavaRDD<LabeledVector> rdd = TestSpark.context().parallelize(Fixtures.data(100), 2);
    try (SparkTrainer<LabeledVector> t = DistributedEquivalenceTest.builder().build(rdd)) {
      assertThrows(FileNotFoundException.class, () -> t.loadCheckpoint(dir.toUri() + "nothing.safetensors"));
    }
  }
}
