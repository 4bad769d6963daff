package dev.autograd.spark;

import dev.autograd.Value;
import dev.autograd.array.NDArray;
import dev.autograd.nn.Activations;
import dev.autograd.nn.Losses;
import dev.autograd.nn.MLP;
import dev.autograd.nn.Module;
import dev.autograd.nn.optim.Adam;
import dev.autograd.nn.optim.LrSchedule;
import dev.autograd.nn.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/** A small classification problem, its model, and the single-process training loop the distributed one must match. */
final class Fixtures {
  static final int FEATURES = 10;
  static final int CLASSES = 3;
  static final int BATCH = 48;
  static final long SEED = 11;

  private Fixtures() {}

  static MLP model() {
    return MLP.builder().sizes(FEATURES, 16, 12, CLASSES).activation(Activations.Tanh::new).seed(5).build();
  }

  static Optimizer adam(List<Value> params) {
    return Adam.builder(params).lr(0.02).build();
  }

  static LrSchedule schedule() {
    return LrSchedule.cosine(0.02, 0.002, 20);
  }

  /** n examples: Gaussian features, the label the argmax of a fixed random linear map (learnable, not separable). */
  static List<LabeledVector> data(int n) {
    SplittableRandom rng = new SplittableRandom(3);
    double[][] w = new double[CLASSES][FEATURES];
    for (double[] row : w) {
      for (int j = 0; j < FEATURES; j++) {
        row[j] = rng.nextGaussian();
      }
    }
    List<LabeledVector> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] x = new double[FEATURES];
      for (int j = 0; j < FEATURES; j++) {
        x[j] = rng.nextGaussian() * (1 + j % 3);
      }
      int best = 0;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < CLASSES; c++) {
        double s = rng.nextGaussian() * 0.5;
        for (int j = 0; j < FEATURES; j++) {
          s += w[c][j] * x[j];
        }
        if (s > bestScore) {
          bestScore = s;
          best = c;
        }
      }
      out.add(new LabeledVector(x, best));
    }
    return out;
  }

  /**
   * The ordinary single-process loop over the same batches: mean cross-entropy of the whole batch, backward, the
   * schedule, one optimizer step. Returns the model after {@code steps} steps.
   */
  static Module trainLocally(List<LabeledVector> data, int steps) {
    return trainLocally(data, steps, params -> { });
  }

  /** {@link #trainLocally(List, int)} with {@code beforeStep} run on the parameters before each optimizer step. */
  static Module trainLocally(List<LabeledVector> data, int steps, Consumer<List<Value>> beforeStep) {
    Module model = model();
    Optimizer opt = adam(model.parameters());
    BatchSampler sampler = new BatchSampler(data.size(), BATCH, SEED);
    LrSchedule schedule = schedule();
    for (int step = 0; step < steps; step++) {
      List<LabeledVector> batch = new ArrayList<>();
      for (int i : sampler.batch(step)) {
        batch.add(data.get(i));
      }
      opt.zeroGrad();
      Value loss = Losses.crossEntropy(model.forward(Value.of(BatchLosses.features(batch))),
          BatchLosses.labels(batch));
      loss.backward();
      beforeStep.accept(model.parameters());
      opt.setLearningRate(schedule.rate(step));
      opt.step();
    }
    return model;
  }

  /** The largest over parameters of max|a - b| / max|b| (each parameter's error relative to its own scale). */
  static double maxRelativeDifference(Module a, Module b) {
    Map<String, NDArray> sa = a.stateDict();
    Map<String, NDArray> sb = b.stateDict();
    double worst = 0;
    for (String name : sb.keySet()) {
      double[] x = sa.get(name).toArray();
      double[] y = sb.get(name).toArray();
      double diff = 0;
      double scale = 0;
      for (int i = 0; i < y.length; i++) {
        diff = Math.max(diff, Math.abs(x[i] - y[i]));
        scale = Math.max(scale, Math.abs(y[i]));
      }
      worst = Math.max(worst, diff / scale);
    }
    return worst;
  }

  /** The largest elementwise |a - b| / |b| over entries with |b| >= 1e-6 (entries near zero have no scale). */
  static double maxElementwiseRelativeDifference(Module a, Module b) {
    Map<String, NDArray> sa = a.stateDict();
    Map<String, NDArray> sb = b.stateDict();
    double worst = 0;
    for (String name : sb.keySet()) {
      double[] x = sa.get(name).toArray();
      double[] y = sb.get(name).toArray();
      for (int i = 0; i < y.length; i++) {
        if (Math.abs(y[i]) >= 1e-6) {
          worst = Math.max(worst, Math.abs(x[i] - y[i]) / Math.abs(y[i]));
        }
      }
    }
    return worst;
  }

  static boolean bitwiseEqual(Module a, Module b) {
    Map<String, NDArray> sa = a.stateDict();
    Map<String, NDArray> sb = b.stateDict();
    for (String name : sb.keySet()) {
      if (!java.util.Arrays.equals(sa.get(name).toArray(), sb.get(name).toArray())) {
        return false;
      }
    }
    return true;
  }
}
