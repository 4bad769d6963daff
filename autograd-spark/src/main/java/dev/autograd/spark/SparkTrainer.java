package dev.autograd.spark;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import dev.autograd.Value;
import dev.autograd.nn.Module;
import dev.autograd.nn.optim.LrSchedule;
import dev.autograd.nn.optim.Optimizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Synchronous data-parallel training of an autograd-nn model over a Spark {@link JavaRDD} or {@link Dataset} of
 * examples. Each {@link #step()}:
 *
 * <ol>
 *   <li>draws the global mini-batch (a {@link BatchSampler} over the examples' positions in the data set);
 *   <li>broadcasts the parameters as one flat {@code double[]} ({@link ParameterLayout});
 *   <li>in every partition, loads them into a model built by the user's {@link SerializableSupplier} factory (kept
 *       per executor between steps) and computes the summed gradient of the {@link BatchLoss} over the partition's
 *       share of the batch;
 *   <li>sums the partitions' gradients with {@code treeAggregate} (results of failed or duplicate task attempts are
 *       discarded by Spark, so nothing is counted twice; the trainer also checks that exactly the batch's examples
 *       were counted);
 *   <li>sets the driver model's gradients to that sum divided by the batch size, runs the optional
 *       {@link Builder#beforeStep} hook (e.g. gradient clipping), sets the learning rate from the schedule if one is
 *       given, and steps the user's optimizer on the driver.
 * </ol>
 *
 * <p>The result equals single-process training of the same model on the same batches with the mean loss, up to the
 * order of floating-point summation. What crosses the wire: the factory and loss (Java serialisation, once per task),
 * the batch's example positions (4 bytes each per task), the parameters (8 bytes each per executor per step) and one
 * gradient per partition (8 bytes per parameter), reduced in a tree of depth {@link Builder#treeDepth}. The data
 * are cached (deserialised, in memory) as one list per partition; their order must be deterministic (a source
 * re-read gives the same order), since a lost partition is recomputed from its lineage.
 *
 * <pre>{@code
 * SparkTrainer<LabeledVector> trainer = SparkTrainer.<LabeledVector>builder()
 *     .model(() -> MLP.builder().sizes(784, 256, 128, 10).seed(1).build())
 *     .loss(BatchLosses.crossEntropy())
 *     .optimizer(params -> Adam.builder(params).lr(1e-3).build())
 *     .batchSize(128)
 *     .build(rdd);
 * for (int i = 0; i < 100; i++) {
 *   StepStats s = trainer.step();
 * }
 * trainer.saveCheckpoint("hdfs:///models/mnist.safetensors");
 * }</pre>
 *
 * <p>Not thread-safe: drive it from one thread. {@link #close()} releases the cached data.
 */
public final class SparkTrainer<E> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SparkTrainer.class);

  private final String id = UUID.randomUUID().toString();
  private final JavaSparkContext sc;
  private final SerializableSupplier<? extends Module> factory;
  private final BatchLoss<E> loss;
  private final LrSchedule schedule;
  private final Consumer<List<Value>> beforeStep;
  private final int treeDepth;
  private final Module model;
  private final Optimizer optimizer;
  private final ParameterLayout layout;
  private final JavaRDD<Shard<E>> shards;
  private final long exampleCount;
  private final BatchSampler sampler;

  private SparkTrainer(Builder<E> b, JavaRDD<E> data) {
    this.sc = JavaSparkContext.fromSparkContext(data.context());
    this.factory = checkNotNull(b.factory, "SparkTrainer: model(...) is required");
    this.loss = checkNotNull(b.loss, "SparkTrainer: loss(...) is required");
    checkNotNull(b.optimizer, "SparkTrainer: optimizer(...) is required");
    checkArgument(b.batchSize > 0, "SparkTrainer: batchSize(...) must be set to a positive size, got %s", b.batchSize);
    this.schedule = b.schedule;
    this.beforeStep = b.beforeStep;
    this.treeDepth = b.treeDepth;
    this.model = checkNotNull(factory.get(), "SparkTrainer: the model factory returned null");
    this.layout = ParameterLayout.of(model);
    this.optimizer = checkNotNull(b.optimizer.apply(model.parameters()), "SparkTrainer: the optimizer factory "
        + "returned null");
    checkArgument(sameParameters(optimizer, model), "SparkTrainer: the optimizer must be built over the parameters it "
        + "is given (the driver's model), in that order");
    JavaRDD<Shard<E>> cached = data.zipWithIndex().mapPartitions(SparkTrainer::toShard)
        .persist(StorageLevel.MEMORY_ONLY());
    if (b.truncateLineage) {
      cached.rdd().localCheckpoint(); // takes effect with the first action, the count below
    }
    this.shards = cached;
    this.exampleCount = shards.map(s -> (long) s.examples().size()).fold(0L, Long::sum);
    checkArgument(exampleCount >= b.batchSize, "SparkTrainer: the data have %s examples, fewer than the batch size %s",
        exampleCount, b.batchSize);
    this.sampler = new BatchSampler(exampleCount, b.batchSize, b.seed);
    log.debug("SparkTrainer {}: {} examples in {} partitions, {} parameters, batch {}", id, exampleCount,
        shards.getNumPartitions(), layout.size(), b.batchSize);
  }

  private static boolean sameParameters(Optimizer optimizer, Module model) {
    List<Value> a = optimizer.parameters();
    List<Value> b = model.parameters();
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }

  private static <E> Iterator<Shard<E>> toShard(Iterator<Tuple2<E, Long>> it) {
    if (!it.hasNext()) {
      return List.<Shard<E>>of().iterator();
    }
    Tuple2<E, Long> first = it.next();
    List<E> examples = new ArrayList<>();
    examples.add(first._1());
    it.forEachRemaining(t -> examples.add(t._1()));
    return List.of(new Shard<>(first._2(), examples)).iterator();
  }

  /** A builder; model, loss, optimizer and batch size are required. */
  public static <E> Builder<E> builder() {
    return new Builder<>();
  }

  /** Runs one synchronous step over the next global mini-batch and returns its loss and timings. */
  public StepStats step() {
    long t0 = System.nanoTime();
    long step = optimizer.stepCount();
    int[] batch = sampler.batch(step);
    Broadcast<double[]> parameters = sc.broadcast(layout.flatten(model));
    long t1 = System.nanoTime();
    GradientSum sum;
    try {
      sum = shards.map(new ShardGradient<>(id, factory, loss, layout, parameters, batch))
          .treeAggregate(GradientSum.empty(), GradientSum::merge, GradientSum::merge, treeDepth);
    } finally {
      parameters.destroy();
    }
    long t2 = System.nanoTime();
    checkState(sum.count == batch.length && sum.gradient != null, "SparkTrainer: step %s counted %s examples, the "
        + "batch has %s (are the data deterministic? were they changed since the trainer was built?)", step, sum.count,
        batch.length);
    if (schedule != null) {
      optimizer.setLearningRate(schedule.rate((int) Math.min(step, Integer.MAX_VALUE)));
    }
    layout.setGradients(model, sum.gradient, batch.length);
    if (beforeStep != null) {
      beforeStep.accept(model.parameters());
    }
    optimizer.step();
    optimizer.zeroGrad();
    long t3 = System.nanoTime();
    double compute = sum.maxComputeNanos * 1e-9;
    StepStats stats = new StepStats(step, sum.loss() / batch.length, (t3 - t0) * 1e-9, (t1 - t0) * 1e-9, compute,
        Math.max(0, (t2 - t1) * 1e-9 - compute), (t3 - t2) * 1e-9);
    log.debug("{}", stats);
    return stats;
  }

  /** Runs {@code steps} steps and returns their statistics in order. */
  public List<StepStats> train(int steps) {
    checkArgument(steps >= 0, "train: steps must be >= 0, got %s", steps);
    List<StepStats> out = new ArrayList<>(steps);
    for (int i = 0; i < steps; i++) {
      out.add(step());
    }
    return out;
  }

  /** The driver's model, holding the current parameters (read it between steps, do not replace its parameters). */
  public Module model() {
    return model;
  }

  public Optimizer optimizer() {
    return optimizer;
  }

  /** Steps taken so far, counting those restored from a checkpoint: the optimizer's step count. */
  public long stepCount() {
    return optimizer.stepCount();
  }

  /** Number of examples in the data set. */
  public long exampleCount() {
    return exampleCount;
  }

  public BatchSampler sampler() {
    return sampler;
  }

  public ParameterLayout layout() {
    return layout;
  }

  /**
   * Saves the model and optimizer state (which includes the step count, hence the position in the batch sequence) to
   * a Hadoop path, atomically (see {@link HadoopCheckpoints}).
   */
  public void saveCheckpoint(String uri) throws IOException {
    HadoopCheckpoints.save(uri, sc.hadoopConfiguration(), model, optimizer);
  }

  /**
   * Restores model and optimizer state from a checkpoint; training then continues from its step exactly as if it had
   * not stopped, provided this trainer has the same data, batch size, seed, loss and schedule.
   */
  public void loadCheckpoint(String uri) throws IOException {
    HadoopCheckpoints.load(uri, sc.hadoopConfiguration(), model, optimizer);
  }

  /** Releases the cached data; the model and optimizer remain usable. */
  @Override
  public void close() {
    shards.unpersist(false);
  }

  /** Configures a {@link SparkTrainer}. */
  public static final class Builder<E> {
    private SerializableSupplier<? extends Module> factory;
    private BatchLoss<E> loss;
    private Function<List<Value>, ? extends Optimizer> optimizer;
    private LrSchedule schedule;
    private Consumer<List<Value>> beforeStep;
    private int batchSize;
    private long seed;
    private int treeDepth = 2;
    private boolean truncateLineage;

    private Builder() {}

    /**
     * The model factory, called once on the driver and once per executor JVM and task thread; every call must build
     * the same architecture (parameter names and shapes). Initial values come from the driver's model: the others
     * are overwritten every step.
     */
    public Builder<E> model(SerializableSupplier<? extends Module> factory) {
      this.factory = factory;
      return this;
    }

    /** The summed loss of a shard of the batch (see {@link BatchLoss}). */
    public Builder<E> loss(BatchLoss<E> loss) {
      this.loss = loss;
      return this;
    }

    /**
     * Builds the optimizer, on the driver only (not serialised), over the driver model's parameters it is given, e.g.
     * {@code params -> Adam.builder(params).lr(1e-3).build()}.
     */
    public Builder<E> optimizer(Function<List<Value>, ? extends Optimizer> factory) {
      this.optimizer = factory;
      return this;
    }

    /** A learning-rate schedule applied before every step (by the step number); none keeps the optimizer's rate. */
    public Builder<E> schedule(LrSchedule schedule) {
      this.schedule = schedule;
      return this;
    }

    /**
     * Runs on the driver after the global mean gradient is in place and before the optimizer steps, e.g. gradient
     * clipping over the whole batch: {@code params -> GradClip.byGlobalNorm(params, 1.0)}.
     */
    public Builder<E> beforeStep(Consumer<List<Value>> hook) {
      this.beforeStep = hook;
      return this;
    }

    /** The global mini-batch size, split over the partitions by where the drawn examples lie. */
    public Builder<E> batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** Seed of the batch order (see {@link BatchSampler}); default 0. */
    public Builder<E> seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Depth of the {@code treeAggregate} reduction (default 2; 1 sends every partition's gradient to the driver). */
    public Builder<E> treeDepth(int depth) {
      checkArgument(depth >= 1, "SparkTrainer: tree depth must be >= 1, got %s", depth);
      this.treeDepth = depth;
      return this;
    }

    /**
     * Cuts the cached data off from its lineage ({@code localCheckpoint}), for data made on the driver with
     * {@code parallelize}: such partitions carry their examples, and every task of every step would ship them again
     * although the executors have them cached. The price: a partition lost with its executor cannot be recomputed,
     * and the step fails. Data read from files need not do this (their partitions are file splits).
     */
    public Builder<E> truncateLineage(boolean truncate) {
      this.truncateLineage = truncate;
      return this;
    }

    /** A trainer over the examples of {@code data}, which it caches in memory as one list per partition. */
    public SparkTrainer<E> build(JavaRDD<E> data) {
      return new SparkTrainer<>(this, checkNotNull(data, "SparkTrainer: data"));
    }

    /** A trainer over the rows of {@code rows}, each turned into an example by {@code decode} (on the executors). */
    public SparkTrainer<E> build(Dataset<Row> rows, org.apache.spark.api.java.function.Function<Row, E> decode) {
      return build(rows.javaRDD().map(decode));
    }
  }
}
