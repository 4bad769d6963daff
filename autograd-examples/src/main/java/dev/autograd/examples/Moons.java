package dev.autograd.examples;

import dev.autograd.Autograd;
import dev.autograd.ModeScope;
import dev.autograd.Value;
import dev.autograd.array.NDArray;
import dev.autograd.nn.Init;
import dev.autograd.nn.Losses;
import dev.autograd.nn.MLP;
import dev.autograd.nn.micro.ScalarMLP;
import dev.autograd.nn.optim.SGD;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * micrograd's demo: a 2-16-16-1 MLP separates two interleaved half-moons with a max-margin (hinge) loss plus
 * 1e-4·L2, trained by SGD whose rate falls from 1.0 to 0.1 over 100 full-batch steps. It can run on the tensor
 * engine (one matmul per layer) or on micrograd-style scalar neurons (one node per multiply).
 */
public final class Moons {
  /** Outcome of a run: per-step loss and accuracy, and the trained classifier. */
  public record Result(double[] losses, double[] accuracies, Classifier model) {
    public double finalAccuracy() {
      return accuracies[accuracies.length - 1];
    }
  }

  /** Scores points: positive means class +1. */
  @FunctionalInterface
  public interface Classifier {
    double[] scores(double[][] points);
  }

  private Moons() {}

  /**
   * Two half-moons with Gaussian noise, like scikit-learn's {@code make_moons} (and shared/bench/moons.py): rows of
   * (x0, x1, label ±1) in random order.
   */
  public static double[][] generate(int n, double noise, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int outer = n / 2;
    int inner = n - outer;
    double[][] rows = new double[n][];
    for (int i = 0; i < outer; i++) {
      double t = outer == 1 ? 0 : Math.PI * i / (outer - 1);
      rows[i] = new double[] {Math.cos(t), Math.sin(t), -1};
    }
    for (int i = 0; i < inner; i++) {
      double t = inner == 1 ? 0 : Math.PI * i / (inner - 1);
      rows[outer + i] = new double[] {1 - Math.cos(t), 1 - Math.sin(t) - 0.5, 1};
    }
    for (double[] r : rows) {
      r[0] += noise * gaussian(rng);
      r[1] += noise * gaussian(rng);
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      double[] t = rows[i];
      rows[i] = rows[j];
      rows[j] = t;
    }
    return rows;
  }

  private static double gaussian(SplittableRandom rng) {
    return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
  }

  /** Step callback for progress reporting. */
  @FunctionalInterface
  public interface StepListener {
    void onStep(int step, double loss, double accuracy);
  }

  /** Trains the tensor-engine MLP. */
  public static Result trainTensor(double[][] data, int steps, long seed, StepListener listener) {
    NDArray all = NDArray.of(data);
    Value x = Value.of(all.slice(1, 0, 2));
    Value y = Value.of(all.slice(1, 2, 3));
    MLP model = MLP.builder().sizes(2, 16, 16, 1).init(Init.uniform(-1, 1), Init.zeros()).seed(seed).build();
    SGD sgd = new SGD(model.parameters(), 1.0);
    double[] losses = new double[steps];
    double[] accuracies = new double[steps];
    for (int k = 0; k < steps; k++) {
      Value scores = model.forward(x);
      Value loss = Losses.hinge(scores, y).add(Losses.l2Penalty(model.parameters()).mul(1e-4));
      model.zeroGrad();
      loss.backward();
      sgd.setLearningRate(1.0 - 0.9 * k / steps);
      sgd.step();
      losses[k] = loss.item();
      accuracies[k] = accuracy(scores.data().toArray(), data);
      listener.onStep(k, losses[k], accuracies[k]);
    }
    Classifier classifier = points -> {
      try (ModeScope s = Autograd.noGrad()) {
        return model.forward(Value.of(NDArray.of(points))).data().toArray();
      }
    };
    return new Result(losses, accuracies, classifier);
  }

  /** Trains micrograd's scalar MLP: every weight a scalar Value, every multiply a node (as in the lecture). */
  public static Result trainScalar(double[][] data, int steps, long seed, StepListener listener) {
    ScalarMLP model = new ScalarMLP(new SplittableRandom(seed), 2, 16, 16, 1);
    List<Value> params = model.parameters();
    double[] losses = new double[steps];
    double[] accuracies = new double[steps];
    for (int k = 0; k < steps; k++) {
      Value total = Value.scalar(0);
      double[] scores = new double[data.length];
      for (int i = 0; i < data.length; i++) {
        Value score = model.forward(data[i][0], data[i][1]).get(0);
        scores[i] = score.item();
        total = total.add(score.mul(-data[i][2]).add(1).relu());
      }
      Value l2 = Value.scalar(0);
      for (Value p : params) {
        l2 = l2.add(p.mul(p));
      }
      Value loss = total.mul(1.0 / data.length).add(l2.mul(1e-4));
      model.zeroGrad();
      loss.backward();
      double lr = 1.0 - 0.9 * k / steps;
      for (Value p : params) {
        p.setData(p.data().sub(p.grad().mul(lr)));
      }
      losses[k] = loss.item();
      accuracies[k] = accuracy(scores, data);
      listener.onStep(k, losses[k], accuracies[k]);
    }
    Classifier classifier = points -> {
      double[] out = new double[points.length];
      try (ModeScope s = Autograd.noGrad()) {
        for (int i = 0; i < points.length; i++) {
          out[i] = model.forward(points[i][0], points[i][1]).get(0).item();
        }
      }
      return out;
    };
    return new Result(losses, accuracies, classifier);
  }

  static double accuracy(double[] scores, double[][] data) {
    int correct = 0;
    for (int i = 0; i < scores.length; i++) {
      correct += (scores[i] > 0) == (data[i][2] > 0) ? 1 : 0;
    }
    return correct / (double) scores.length;
  }

  /** Writes the decision boundary and loss curve PNGs into {@code outDir}; returns their paths. */
  public static List<Path> plot(Result result, double[][] data, Path outDir) {
    int steps = 120;
    double[][] grid = new double[steps * steps][];
    List<double[]> points = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      for (int j = 0; j < steps; j++) {
        points.add(new double[] {-2 + 4.0 * i / (steps - 1), -1.5 + 3.0 * j / (steps - 1)});
      }
    }
    double[] scores = result.model().scores(points.toArray(new double[0][]));
    for (int k = 0; k < grid.length; k++) {
      grid[k] = new double[] {points.get(k)[0], points.get(k)[1], scores[k] > 0 ? 1 : -1};
    }
    Path boundary = Charts.decisionBoundary(outDir.resolve("moons-decision-boundary.png"),
        String.format(java.util.Locale.ROOT, "Moons: MLP 2-16-16-1, training accuracy %.0f%%",
            100 * result.finalAccuracy()), grid, data);
    Map<String, double[]> series = new LinkedHashMap<>();
    series.put("loss (hinge + 1e-4 L2)", result.losses());
    Path curve = Charts.lines(outDir.resolve("moons-loss.png"), "Moons: training loss per SGD step", "step", "loss",
        series, true);
    return List.of(boundary, curve);
  }
}
