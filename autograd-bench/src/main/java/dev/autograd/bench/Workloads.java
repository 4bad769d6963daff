package dev.autograd.bench;

import dev.autograd.Autograd;
import dev.autograd.Conv;
import dev.autograd.ConvOptions;
import dev.autograd.ModeScope;
import dev.autograd.Value;
import dev.autograd.array.Gemm;
import dev.autograd.array.DType;
import dev.autograd.array.NDArray;
import dev.autograd.nn.Losses;
import dev.autograd.nn.MLP;
import dev.autograd.nn.micro.ScalarMLP;
import dev.autograd.nn.optim.SGD;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The end-to-end workloads of the performance targets, each timed as the median of repeated runs after a warm-up,
 * the way the peer scripts time theirs.
 */
public final class Workloads {
  private Workloads() {}

  /** Median wall time in milliseconds of {@code body} over {@code runs} calls, after {@code warmup} calls. */
  public static double medianMillis(int warmup, int runs, Runnable body) {
    for (int i = 0; i < warmup; i++) {
      body.run();
    }
    double[] t = new double[runs];
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      body.run();
      t[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(t);
    return t[runs / 2];
  }

  /**
   * One training step of an MLP with ReLU, cross-entropy and SGD with momentum 0.9 (lr 0.01), on random data of 16
   * batches cycled (as torch_mlp.py and numpy_mlp.py do).
   */
  public static final class MlpStep implements Runnable {
    private final MLP model;
    private final SGD sgd;
    private final NDArray[] inputs;
    private final int[][] labels;
    private int step;

    public MlpStep(int batch, int... sizes) {
      this(DType.FLOAT64, batch, sizes);
    }

    /** The step in {@code dtype}: model, optimizer state and data. */
    public MlpStep(DType dtype, int batch, int... sizes) {
      SplittableRandom rng = new SplittableRandom(0);
      model = MLP.builder().sizes(sizes).seed(0).build().to(dtype);
      sgd = SGD.builder(model.parameters()).lr(0.01).momentum(0.9).build();
      inputs = new NDArray[16];
      labels = new int[16][batch];
      for (int b = 0; b < 16; b++) {
        inputs[b] = NDArray.randn(rng, dtype, batch, sizes[0]);
        for (int i = 0; i < batch; i++) {
          labels[b][i] = rng.nextInt(sizes[sizes.length - 1]);
        }
      }
    }

    @Override
    public void run() {
      int b = step++ % 16;
      sgd.zeroGrad();
      Value loss = loss(b);
      loss.backward();
      sgd.step();
    }

    Value loss(int b) {
      return Losses.crossEntropy(model.forward(Value.of(inputs[b])), labels[b]);
    }

    /** The forward pass alone (with graph recording, as in training). */
    public Runnable forwardOnly() {
      return () -> loss(step++ % 16);
    }

    /** Forward and backward, without the update. */
    public Runnable forwardBackward() {
      return () -> {
        sgd.zeroGrad();
        loss(step++ % 16).backward();
      };
    }
  }

  /**
   * Forward and backward of one convolution layer on MNIST-shaped data, as torch_conv.py: conv2d of {@code batch}
   * random 1×28×28 images with {@code filters} 3×3 filters, padding 1 and bias, backpropagating a fixed random
   * upstream gradient into the weight and bias. The images need no gradient, as for a network's first layer (with
   * {@code inputGrad} they get one, as for a later layer).
   */
  public static final class Conv2dStep implements Runnable {
    private static final ConvOptions PADDING_1 = ConvOptions.builder().padding(1).build();
    private final Value images;
    private final Value weight;
    private final Value bias;
    private final NDArray seed;

    public Conv2dStep(int batch, int filters, boolean inputGrad) {
      SplittableRandom rng = new SplittableRandom(0);
      images = Value.randn(rng, batch, 1, 28, 28).requiresGrad(inputGrad);
      weight = Value.randn(rng, filters, 1, 3, 3).requiresGrad(true);
      bias = Value.randn(rng, filters).requiresGrad(true);
      seed = NDArray.randn(rng, batch, filters, 28, 28);
    }

    @Override
    public void run() {
      images.zeroGrad();
      weight.zeroGrad();
      bias.zeroGrad();
      Conv.conv2d(images, weight, bias, PADDING_1).backward(seed);
    }
  }

  /** micrograd's demo step on scalar Values: 100 moons samples, MLP 2-16-16-1, hinge + L2, forward, backward, SGD. */
  public static final class ScalarMoonsStep implements Runnable {
    private final ScalarMLP model = new ScalarMLP(new SplittableRandom(1337), 2, 16, 16, 1);
    private final List<Value> params = model.parameters();
    private final double[][] data;
    private int step;

    public ScalarMoonsStep(double[][] data) {
      this.data = data;
    }

    @Override
    public void run() {
      Value total = Value.scalar(0);
      for (double[] row : data) {
        Value score = model.forward(row[0], row[1]).get(0);
        total = total.add(score.mul(-row[2]).add(1).relu());
      }
      Value l2 = Value.scalar(0);
      for (Value p : params) {
        l2 = l2.add(p.mul(p));
      }
      Value loss = total.mul(1.0 / data.length).add(l2.mul(1e-4));
      model.zeroGrad();
      loss.backward();
      double lr = 1.0 - 0.9 * (step++ % 100) / 100;
      try (ModeScope s = Autograd.noGrad()) {
        for (Value p : params) {
          p.setData(p.data().sub(p.grad().mul(lr)));
        }
      }
    }
  }

  /** Two-moons data like shared/bench/moons.py: rows (x0, x1, ±1). */
  public static double[][] moons(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[][] rows = new double[n][];
    for (int i = 0; i < n; i++) {
      boolean outer = i < n / 2;
      double t = Math.PI * rng.nextDouble();
      rows[i] = new double[] {(outer ? Math.cos(t) : 1 - Math.cos(t)) + 0.1 * rng.nextGaussian(),
          (outer ? Math.sin(t) : 0.5 - Math.sin(t)) + 0.1 * rng.nextGaussian(), outer ? -1 : 1};
    }
    return rows;
  }

  /** GFLOP/s of an n × n × n product through {@code gemm} (median of runs). */
  public static double matmulGflops(Gemm gemm, int n, int runs) {
    SplittableRandom rng = new SplittableRandom(3);
    double[] a = NDArray.rand(rng, n * n).toArray();
    double[] b = NDArray.rand(rng, n * n).toArray();
    double[] c = new double[n * n];
    double ms = medianMillis(2, runs, () -> gemm.gemm(false, false, n, n, n, 1.0, a, 0, n, b, 0, n, 0.0, c, 0, n));
    return 2.0 * n * n * n / (ms * 1e6);
  }

  /** GFLOP/s of an n × n × n single-precision product through {@code gemm} (median of runs). */
  public static double sgemmGflops(Gemm gemm, int n, int runs) {
    SplittableRandom rng = new SplittableRandom(3);
    float[] a = floats(NDArray.rand(rng, n * n).toArray());
    float[] b = floats(NDArray.rand(rng, n * n).toArray());
    float[] c = new float[n * n];
    double ms = medianMillis(2, runs, () -> gemm.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n));
    return 2.0 * n * n * n / (ms * 1e6);
  }

  /** Each element rounded to float. */
  static float[] floats(double[] x) {
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (float) x[i];
    }
    return f;
  }

  /** A chain y = x + c + c + ... of {@code nodes} scalar ops; returns backward time in ms. */
  public static double chainBackwardMillis(int nodes) {
    Value x = Value.scalar(1.0).requiresGrad(true);
    Value y = x;
    for (int i = 0; i < nodes; i++) {
      y = y.add(1e-6);
    }
    long start = System.nanoTime();
    y.backward();
    return (System.nanoTime() - start) / 1e6;
  }
}
