package dev.autograd.bench;

import dev.autograd.array.Gemms;

/** Quick numbers while tuning: java -cp ... dev.autograd.bench.Probe */
public final class Probe {
  private Probe() {}

  public static void main(String[] args) {
    Workloads.MlpStep big = new Workloads.MlpStep(128, 784, 256, 128, 10);
    System.out.printf("mlp784 step      %.3f ms%n", Workloads.medianMillis(300, 200, big));
    System.out.printf("mlp784 forward   %.3f ms%n", Workloads.medianMillis(30, 100, big.forwardOnly()));
    System.out.printf("mlp784 fwd+bwd   %.3f ms%n", Workloads.medianMillis(30, 100, big.forwardBackward()));
    Workloads.MlpStep tiny = new Workloads.MlpStep(100, 2, 16, 16, 1);
    System.out.printf("tiny step        %.4f ms%n", Workloads.medianMillis(2000, 2000, tiny));
    Workloads.ScalarMoonsStep scalar = new Workloads.ScalarMoonsStep(Workloads.moons(100, 0));
    System.out.printf("scalar step      %.3f ms%n", Workloads.medianMillis(20, 30, scalar));
    System.out.printf("matmul 1024      %.1f GFLOP/s (%s)%n", Workloads.matmulGflops(Gemms.current(), 1024, 5),
        Gemms.current().name());
    System.out.printf("chain 1M bwd     %.0f ms%n", Workloads.chainBackwardMillis(1_000_000));
  }
}
