package dev.autograd.spark.examples;

import dev.autograd.Value;
import dev.autograd.array.NDArray;
import dev.autograd.nn.Losses;
import dev.autograd.nn.MLP;
import dev.autograd.nn.data.Idx;
import dev.autograd.nn.optim.Adam;
import dev.autograd.nn.optim.Optimizer;
import dev.autograd.spark.BatchLosses;
import dev.autograd.spark.BatchSampler;
import dev.autograd.spark.HadoopCheckpoints;
import dev.autograd.spark.LabeledVector;
import dev.autograd.spark.SparkTrainer;
import dev.autograd.spark.StepStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Data-parallel training of a 784-256-128-10 MLP on MNIST IDX files with {@link SparkTrainer}, printing each step's
 * time and the share spent moving parameters and gradients.
 *
 * <pre>
 * spark-submit --master 'local[2]' autograd-spark-*-app.jar --data DIR [--steps 50] [--batch 128]
 *     [--partitions 4] [--lr 1e-3] [--checkpoint URI] [--limit N] [--master URL] [--baseline true]
 * </pre>
 *
 * {@code --checkpoint} resumes from the file if it exists and saves there at the end; {@code --limit} uses the first
 * N examples; {@code --master} overrides the master (for runs without spark-submit); {@code --baseline true} runs the
 * same steps in one process without Spark, for comparison.
 *
 * DIR holds {@code t10k-images-idx3-ubyte[.gz]} and {@code t10k-labels-idx1-ubyte[.gz]} (or the {@code train-}
 * files). The files are read on the driver and parallelised, fine for MNIST's size; a larger data set would be read
 * by the executors (e.g. {@code spark.read().parquet(...)} and {@code SparkTrainer.Builder.build(Dataset, decode)}).
 * Without spark-submit's {@code --master}, {@code local[*]} is used.
 */
public final class SparkMnist {
  private SparkMnist() {}

  /** Runs the example; a missing file or a bad option prints one line and exits with code 2. */
  public static void main(String[] args) throws IOException {
    try {
      run(args);
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
    }
  }

  private static void run(String[] args) throws IOException {
    Options o = Options.parse(args);
    if (o == null) {
      System.out.println("usage: SparkMnist --data DIR [--steps N] [--batch N] [--partitions N] [--lr X] "
          + "[--checkpoint URI] [--limit N] [--master URL] [--baseline true]");
      return;
    }
    List<LabeledVector> examples = load(o.data, o.limit);
    if (o.baseline) {
      baseline(examples, o);
      return;
    }
    SparkConf conf = new SparkConf().setAppName("autograd-spark-mnist").setIfMissing("spark.master", "local[*]")
        .setIfMissing("spark.ui.enabled", "false");
    if (o.master != null) {
      conf.setMaster(o.master);
    }
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      int partitions = o.partitions > 0 ? o.partitions : sc.defaultParallelism();
      JavaRDD<LabeledVector> rdd = sc.parallelize(examples, partitions);
      try (SparkTrainer<LabeledVector> trainer = SparkTrainer.<LabeledVector>builder()
          .model(() -> MLP.builder().sizes(784, 256, 128, 10).seed(1).build())
          .loss(BatchLosses.crossEntropy())
          .optimizer(params -> Adam.builder(params).lr(o.lr).build())
          .batchSize(o.batch)
          .seed(7)
          .truncateLineage(true) // the examples were parallelised from the driver: do not ship them every step
          .build(rdd)) {
        System.out.printf(Locale.ROOT, "master %s, %d examples in %d partitions, %d parameters (%.2f MB of gradient), "
            + "batch %d%n", sc.master(), trainer.exampleCount(), partitions, trainer.layout().size(),
            trainer.layout().size() * 8 / 1e6, o.batch);
        if (o.checkpoint != null && HadoopCheckpoints.exists(o.checkpoint, sc.hadoopConfiguration())) {
          trainer.loadCheckpoint(o.checkpoint);
          System.out.printf(Locale.ROOT, "resumed from %s at step %d%n", o.checkpoint, trainer.stepCount());
        }
        List<StepStats> all = new ArrayList<>();
        for (int i = 0; i < o.steps; i++) {
          StepStats s = trainer.step();
          all.add(s);
          System.out.printf(Locale.ROOT, "step %4d  loss %.4f  %7.1f ms  (compute %6.1f ms, broadcast %5.1f ms, "
              + "aggregation %6.1f ms, optimizer %5.1f ms; communication %4.1f%%)%n", s.step(), s.loss(),
              s.seconds() * 1e3, s.computeSeconds() * 1e3, s.broadcastSeconds() * 1e3, s.aggregationSeconds() * 1e3,
              s.optimizerSeconds() * 1e3, 100 * s.communicationShare());
        }
        summarise(all);
        if (o.checkpoint != null) {
          trainer.saveCheckpoint(o.checkpoint);
          System.out.println("checkpoint saved to " + o.checkpoint);
        }
      }
    }
  }

  /** The same steps in one process without Spark: the time the distributed steps are compared with. */
  private static void baseline(List<LabeledVector> examples, Options o) {
    MLP model = MLP.builder().sizes(784, 256, 128, 10).seed(1).build();
    Optimizer opt = Adam.builder(model.parameters()).lr(o.lr).build();
    BatchSampler sampler = new BatchSampler(examples.size(), o.batch, 7);
    double[] ms = new double[o.steps];
    for (int step = 0; step < o.steps; step++) {
      long t0 = System.nanoTime();
      List<LabeledVector> batch = new ArrayList<>();
      for (int i : sampler.batch(step)) {
        batch.add(examples.get(i));
      }
      opt.zeroGrad();
      Value loss = Losses.crossEntropy(model.forward(Value.of(BatchLosses.features(batch))),
          BatchLosses.labels(batch));
      loss.backward();
      opt.step();
      ms[step] = (System.nanoTime() - t0) / 1e6;
      System.out.printf(Locale.ROOT, "step %4d  loss %.4f  %7.1f ms (single process, no Spark)%n", step, loss.item(),
          ms[step]);
    }
    double[] steady = Arrays.copyOfRange(ms, Math.min(5, ms.length / 2), ms.length);
    Arrays.sort(steady);
    if (steady.length > 0) {
      System.out.printf(Locale.ROOT, "median over %d steps: %.1f ms per step (single process)%n", steady.length,
          steady.length % 2 == 1 ? steady[steady.length / 2]
              : (steady[steady.length / 2 - 1] + steady[steady.length / 2]) / 2);
    }
  }

  /** Medians over the steps after the first few (JIT warm-up and the first task shipping are excluded). */
  private static void summarise(List<StepStats> all) {
    List<StepStats> steady = all.size() > 5 ? all.subList(Math.min(5, all.size() / 2), all.size()) : all;
    if (steady.isEmpty()) {
      return;
    }
    System.out.printf(Locale.ROOT, "median over %d steps: %.1f ms per step, compute %.1f ms, broadcast %.1f ms, "
        + "aggregation %.1f ms, optimizer %.1f ms, communication %.1f%%%n", steady.size(),
        median(steady, StepStats::seconds) * 1e3, median(steady, StepStats::computeSeconds) * 1e3,
        median(steady, StepStats::broadcastSeconds) * 1e3, median(steady, StepStats::aggregationSeconds) * 1e3,
        median(steady, StepStats::optimizerSeconds) * 1e3, 100 * median(steady, StepStats::communicationShare));
  }

  private static double median(List<StepStats> stats, java.util.function.ToDoubleFunction<StepStats> f) {
    double[] v = stats.stream().mapToDouble(f).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** MNIST examples from IDX files in {@code dir} (t10k or train, raw or gzipped), at most {@code limit}. */
  static List<LabeledVector> load(Path dir, int limit) throws IOException {
    Path images = find(dir, "images-idx3-ubyte");
    Path labels = find(dir, "labels-idx1-ubyte");
    Idx.Images img = Idx.readImages(images);
    int[] y = Idx.readLabels(labels);
    NDArray pixels = img.pixels();
    int n = Math.min(pixels.shape()[0], limit > 0 ? limit : Integer.MAX_VALUE);
    int d = pixels.shape()[1];
    double[] flat = pixels.toArray();
    List<LabeledVector> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new LabeledVector(Arrays.copyOfRange(flat, i * d, (i + 1) * d), y[i]));
    }
    return out;
  }

  private static Path find(Path dir, String kind) throws IOException {
    for (String prefix : new String[] {"train-", "t10k-"}) {
      for (String suffix : new String[] {"", ".gz"}) {
        Path p = dir.resolve(prefix + kind + suffix);
        if (Files.isRegularFile(p)) {
          return p;
        }
      }
    }
    throw new java.io.FileNotFoundException("no " + kind + " file (train- or t10k-, optionally .gz) in " + dir);
  }

  private record Options(Path data, int steps, int batch, int partitions, double lr, String checkpoint, int limit,
      String master, boolean baseline) {
    static Options parse(String[] args) {
      Path data = null;
      int steps = 50;
      int batch = 128;
      int partitions = 0;
      double lr = 1e-3;
      String checkpoint = null;
      int limit = 0;
      String master = null;
      boolean baseline = false;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (a.equals("--help") || a.equals("-h") || i + 1 >= args.length) {
          return null;
        }
        String v = args[++i];
        switch (a) {
          case "--data" -> data = Path.of(v);
          case "--steps" -> steps = Integer.parseInt(v);
          case "--batch" -> batch = Integer.parseInt(v);
          case "--partitions" -> partitions = Integer.parseInt(v);
          case "--lr" -> lr = Double.parseDouble(v);
          case "--checkpoint" -> checkpoint = v;
          case "--limit" -> limit = Integer.parseInt(v);
          case "--master" -> master = v;
          case "--baseline" -> baseline = Boolean.parseBoolean(v);
          default -> throw new IllegalArgumentException("SparkMnist: unknown option " + a);
        }
      }
      return data == null ? null : new Options(data, steps, batch, partitions, lr, checkpoint, limit, master, baseline);
    }
  }
}
