package dev.autograd.examples;

import dev.autograd.array.DType;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bike-sharing", mixinStandardHelpOptions = true,
    description = "Regression of hourly bike rentals (UCI Bike Sharing, hour.csv), as in the lecture's assignment.")
final class BikeSharingCommand implements Callable<Integer> {
  @Option(names = "--steps", defaultValue = "2000", description = "Training steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Mixin
  DataOptions input;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() throws IOException {
    if (steps < 1) {
      throw new UserException("--steps must be at least 1, got " + steps);
    }
    input.checkBatch();
    DType dtype = input.dtype();
    BikeSharing.Data d = BikeSharing.load(BikeSharing.locate(input.data));
    System.out.printf(Locale.ROOT, "%d features; %d training, %d validation (60 days), %d test (21 days) hours; %s%n",
        d.features().size(), d.train().size(), d.validation().size(), d.test().size(), dtype);
    BikeSharing.Result r;
    try (Progress bar = new Progress("bike-sharing", steps)) {
      r = BikeSharing.train(d, dtype, steps, input.batch, common.seedOr(42), (k, train, val) -> bar.step(
          String.format(Locale.ROOT, "train %.3f  validation %.3f", train, val)));
    }
    int every = Math.max(1, steps / 10);
    for (int k = every - 1; k < steps; k += every) {
      System.out.printf(Locale.ROOT, "step %5d  train MSE %.4f  validation MSE %.4f%n", k + 1, r.trainLoss()[k],
          r.validationLoss()[k]);
    }
    System.out.printf(Locale.ROOT, "Validation MSE (standardised cnt): %.4f   test MSE: %.4f%n", r.finalValidationMse(),
        r.testMse());
    Console.wrote(BikeSharing.plot(r, common.out));
    return 0;
  }
}
