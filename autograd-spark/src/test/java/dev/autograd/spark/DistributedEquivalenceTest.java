package dev.autograd.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.nn.Module;
import java.util.ArrayList;
import dev.autograd.Value;
import dev.autograd.nn.optim.GradClip;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Distributed training equals the ordinary single-process loop on the same batches, up to summation order. */
class DistributedEquivalenceTest {
  private static final int STEPS = 20;
  /** Steps of the variants (module test time matters: each step is a Spark job). */
  private static final int SHORT = 8;
  private static final double TOLERANCE = 1e-12;
  private static List<LabeledVector> data;
  private static Module reference;

  @BeforeAll
  static void trainReference() {
    data = Fixtures.data(400);
    reference = Fixtures.trainLocally(data, STEPS);
  }

  static SparkTrainer.Builder<LabeledVector> builder() {
    return SparkTrainer.<LabeledVector>builder()
        .model(Fixtures::model)
        .loss(BatchLosses.crossEntropy())
        .optimizer(Fixtures::adam)
        .schedule(Fixtures.schedule())
        .batchSize(Fixtures.BATCH)
        .seed(Fixtures.SEED);
  }

  @Test
  void fourPartitionsOnTwoCoresMatchSingleProcessAfterTwentySteps() {
    JavaRDD<LabeledVector> rdd = TestSpark.context().parallelize(data, 4);
    try (SparkTrainer<LabeledVector> trainer = builder().build(rdd)) {
      List<StepStats> stats = trainer.train(STEPS);
      assertEquals(STEPS, trainer.stepCount());
      assertEquals(400, trainer.exampleCount());
      double rel = Fixtures.maxRelativeDifference(trainer.model(), reference);
      double elementwise = Fixtures.maxElementwiseRelativeDifference(trainer.model(), reference);
      System.out.printf("local[2], 4 partitions, %d steps: max relative difference to single-process %.3e "
          + "(per parameter, by max-norm), %.3e (elementwise, |ref| >= 1e-6)%n", STEPS, rel, elementwise);
      assertTrue(rel <= TOLERANCE, "relative difference " + rel);
      assertTrue(stats.get(STEPS - 1).loss() < stats.get(0).loss(), "training should lower the loss");
    }
  }

  @Test
  void deeperTreeOverEightPartitionsMatchesToo() {
    // 8 partitions at depth 3 make treeAggregate add an intermediate level of executors
    JavaRDD<LabeledVector> rdd = TestSpark.context().parallelize(data, 8);
    try (SparkTrainer<LabeledVector> trainer = builder().treeDepth(3).build(rdd)) {
      trainer.train(SHORT);
      double rel = Fixtures.maxRelativeDifference(trainer.model(), Fixtures.trainLocally(data, SHORT));
      assertTrue(rel <= TOLERANCE, "relative difference " + rel);
    }
  }

  @Test
  void gradientClippingHookSeesTheGlobalMeanGradient() {
    // clipping by the global norm is not linear: it matches only if applied to the whole batch's mean gradient
    Consumer<List<Value>> clip = params -> GradClip.byGlobalNorm(params, 0.05);
    JavaRDD<LabeledVector> rdd = TestSpark.context().parallelize(data, 4);
    try (SparkTrainer<LabeledVector> trainer = builder().beforeStep(clip).build(rdd)) {
      trainer.train(SHORT);
      Module expected = Fixtures.trainLocally(data, SHORT, clip);
      double rel = Fixtures.maxRelativeDifference(trainer.model(), expected);
      assertTrue(rel <= TOLERANCE, "relative difference " + rel);
      assertTrue(Fixtures.maxRelativeDifference(expected, Fixtures.trainLocally(data, SHORT)) > 1e-3,
          "the clipping threshold should be active");
    }
  }

  @Test
  void datasetOfRowsMatchesSingleProcess() {
    StructType schema = new StructType()
        .add("features", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
        .add("label", DataTypes.IntegerType, false);
    List<Row> rows = new ArrayList<>();
    for (LabeledVector v : data) {
      List<Double> f = new ArrayList<>();
      for (double x : v.features()) {
        f.add(x);
      }
      rows.add(RowFactory.create(f, v.label()));
    }
    // a local relation keeps the list's order, which is what gives the examples their positions
    Dataset<Row> ds = TestSpark.session().createDataFrame(rows, schema);
    try (SparkTrainer<LabeledVector> trainer = builder().build(ds, DistributedEquivalenceTest::decode)) {
      trainer.train(STEPS);
      double rel = Fixtures.maxRelativeDifference(trainer.model(), reference);
      assertTrue(rel <= TOLERANCE, "relative difference " + rel);
    }
  }

  private static LabeledVector decode(Row row) {
    List<Double> f = row.getList(0);
    double[] x = new double[f.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = f.get(i);
    }
    return new LabeledVector(x, row.getInt(1));
  }
}
