package dev.autograd.bench;

import dev.autograd.Value;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Graph overhead: the cost per scalar op recorded and differentiated, and a full tiny-MLP training step. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class GraphBenchmarks {
  private static final int NODES = 1000;
  private Workloads.MlpStep tiny;

  @Setup
  public void setup() {
    tiny = new Workloads.MlpStep(100, 2, 16, 16, 1);
  }

  /** Per node: one scalar multiply-add recorded, then its share of backward. */
  @Benchmark
  @OperationsPerInvocation(NODES)
  public double scalarOpForwardBackwardPerNode() {
    Value x = Value.scalar(0.5).requiresGrad(true);
    Value y = x;
    for (int i = 0; i < NODES / 2; i++) {
      y = y.mul(0.999).add(x);
    }
    y.backward();
    return x.grad().item();
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public void tinyMlpTrainStep() {
    tiny.run();
  }
}
