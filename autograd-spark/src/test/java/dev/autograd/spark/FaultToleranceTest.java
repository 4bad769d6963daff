package dev.autograd.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.array.NDArray;
import dev.autograd.nn.Module;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;

/**
 * Spark retries failed tasks (the tests' master is {@code local[2,3]}: three attempts); the aggregate must count each
 * partition's gradient once, whatever failed before.
 */
class FaultToleranceTest {
  private static final int STEPS = 10;
  /** Counts injected failures; tasks run in this JVM under a local master. */
  private static final AtomicInteger FAILURES = new AtomicInteger();

  /** Cross-entropy whose first attempt fails on odd partitions, after the forward pass has run. */
  private static final BatchLoss<LabeledVector> FLAKY = (model, examples) -> {
    var loss = BatchLosses.crossEntropy().sumLoss(model, examples);
    TaskContext task = TaskContext.get();
    if (task.attemptNumber() == 0 && task.partitionId() % 2 == 1) {
      FAILURES.incrementAndGet();
      throw new IllegalStateException("injected failure of the first attempt of partition " + task.partitionId());
    }
    return loss;
  };

  private static final BatchLoss<LabeledVector> BROKEN = (model, examples) -> {
    throw new IllegalStateException("injected failure of every attempt");
  };

  @Test
  void retriedTasksDoNotDoubleCountGradients() {
    List<LabeledVector> data = Fixtures.data(400);
    JavaRDD<LabeledVector> rdd = TestSpark.context().parallelize(data, 4);
    Module clean;
    try (SparkTrainer<LabeledVector> trainer = DistributedEquivalenceTest.builder().build(rdd)) {
      trainer.train(STEPS);
      clean = trainer.model();
    }
    FAILURES.set(0);
    try (SparkTrainer<LabeledVector> trainer = DistributedEquivalenceTest.builder().loss(FLAKY).build(rdd)) {
      trainer.train(STEPS); // each step checks that exactly the batch's examples were counted
      assertTrue(FAILURES.get() >= STEPS, "expected injected failures in every step, got " + FAILURES.get());
      // a double-counted partition would change the gradient by a whole shard's share, far above rounding
      assertTrue(Fixtures.bitwiseEqual(trainer.model(), clean), "a run with retried tasks must equal the clean run");
      double rel = Fixtures.maxRelativeDifference(trainer.model(), Fixtures.trainLocally(data, STEPS));
      assertTrue(rel <= 1e-12, "relative difference " + rel);
    }
  }

  @Test
  void aStepWhoseTaskFailsEveryAttemptChangesNothing() {
    JavaRDD<LabeledVector> rdd = TestSpark.context().parallelize(Fixtures.data(100), 2);
    try (SparkTrainer<LabeledVector> trainer = DistributedEquivalenceTest.builder().loss(BROKEN).build(rdd)) {
      Map<String, NDArray> before = trainer.model().stateDict();
      SparkException e = assertThrows(SparkException.class, trainer::step);
      assertTrue(String.valueOf(e.getMessage()).contains("injected failure"), e.getMessage());
      assertEquals(0, trainer.stepCount());
      before.forEach((name, value) -> assertTrue(java.util.Arrays.equals(value.toArray(),
          trainer.model().stateDict().get(name).toArray()), name));
    }
  }
}
