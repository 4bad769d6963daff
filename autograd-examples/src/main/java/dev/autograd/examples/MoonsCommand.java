package dev.autograd.examples;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "moons", mixinStandardHelpOptions = true,
    description = "micrograd's demo: classify two half-moons (generated in-process) with an MLP 2-16-16-1.")
final class MoonsCommand implements Callable<Integer> {
  @Option(names = "--steps", defaultValue = "100", description = "SGD steps (default: ${DEFAULT-VALUE}).")
  int steps;


  @Option(names = "--scalar", description = "Use micrograd-style scalar neurons (one graph node per multiply).")
  boolean scalar;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() {
    return run(common.out, steps, common.seedOr(1337), scalar);
  }

  static int run(Path out, int steps, long seed, boolean scalar) {
    if (steps < 1) {
      throw new UserException("--steps must be at least 1, got " + steps);
    }
    double[][] data = Moons.generate(100, 0.1, seed);
    long start = System.nanoTime();
    Moons.Result result;
    try (Progress bar = new Progress("moons", steps)) {
      Moons.StepListener listener = (k, loss, acc) -> bar.step(
          String.format(Locale.ROOT, "loss %.4f  accuracy %3.0f%%", loss, 100 * acc));
      result = scalar ? Moons.trainScalar(data, steps, seed, listener) : Moons.trainTensor(data, steps, seed, listener);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "%d steps on the %s engine in %.2f s: loss %.4f -> %.4f, training accuracy %.0f%%%n",
        steps, scalar ? "scalar" : "tensor", seconds, result.losses()[0], result.losses()[steps - 1],
        100 * result.finalAccuracy());
    List<Path> files = Moons.plot(result, data, out);
    Console.wrote(files);
    return 0;
  }
}
