package dev.autograd.bench;

import dev.autograd.array.Gemm;
import dev.autograd.array.Gemms;
import dev.autograd.array.NDArray;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Array kernels: matmul, broadcasting elementwise, reductions, softmax; and the single-precision product through the
 * GEMM layer directly (arrays do not hold floats yet).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class KernelBenchmarks {
  @Param({"64", "256"})
  public int n;

  private NDArray a;
  private NDArray b;
  private NDArray row;
  private NDArray logits;
  private Gemm gemm;
  private float[] fa;
  private float[] fb;
  private float[] fc;

  @Setup
  public void setup() {
    SplittableRandom rng = new SplittableRandom(1);
    a = NDArray.randn(rng, n, n);
    b = NDArray.randn(rng, n, n);
    row = NDArray.randn(rng, n);
    logits = NDArray.randn(rng, n, 10);
    gemm = Gemms.current();
    fa = Workloads.floats(a.toArray());
    fb = Workloads.floats(b.toArray());
    fc = new float[n * n];
  }

  @Benchmark
  public NDArray matmul() {
    return a.matmul(b);
  }

  @Benchmark
  public NDArray matmulTransposedRight() {
    return a.matmul(b.transpose());
  }

  @Benchmark
  public float[] sgemm() {
    gemm.sgemm(false, false, n, n, n, 1f, fa, 0, n, fb, 0, n, 0f, fc, 0, n);
    return fc;
  }

  @Benchmark
  public NDArray broadcastAdd() {
    return a.add(row);
  }

  @Benchmark
  public NDArray sumOverBatchAxis() {
    return a.sum(new int[] {0}, false);
  }

  @Benchmark
  public NDArray sumOverLastAxis() {
    return a.sum(new int[] {1}, false);
  }

  @Benchmark
  public NDArray softmaxRows() {
    NDArray shifted = logits.sub(logits.max(new int[] {1}, true)).exp();
    return shifted.div(shifted.sum(new int[] {1}, true));
  }
}
