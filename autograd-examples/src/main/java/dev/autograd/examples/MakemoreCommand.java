package dev.autograd.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "makemore", mixinStandardHelpOptions = true,
    description = "A character-level language model (makemore): learns a word list, beats the bigram baseline on "
        + "held-out words, and samples new words.")
final class MakemoreCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, description = "Word list, one word per line (UTF-8).")
  Path data;

  @Option(names = "--model", defaultValue = "transformer",
      description = "mlp or transformer (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--steps", defaultValue = "3000", description = "Training steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--batch", defaultValue = "64", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--samples", defaultValue = "20", description = "Words to sample (default: ${DEFAULT-VALUE}).")
  int samples;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() throws IOException {
    CharLm.Kind kind = switch (model.toLowerCase(Locale.ROOT)) {
      case "mlp" -> CharLm.Kind.MLP;
      case "transformer" -> CharLm.Kind.TRANSFORMER;
      default -> throw new UserException("--model must be mlp or transformer, got " + model);
    };
    if (steps < 1 || batch < 1 || samples < 0) {
      throw new UserException("--steps and --batch must be at least 1 and --samples at least 0");
    }
    CharLm.Words words = CharLm.load(data, common.seedOr(42));
    System.out.println(words.description());
    int evalEvery = Math.max(1, steps / 10);
    CharLm.Result r;
    try (Progress bar = new Progress("makemore", steps)) {
      r = CharLm.train(words, kind, steps, batch, evalEvery, samples, common.seedOr(42), new CharLm.Listener() {
        @Override
        public void onStep(int step, double loss) {
          bar.step(String.format(Locale.ROOT, "loss %.3f", loss));
        }

        @Override
        public void onEvaluation(int step, double trainLoss, double validationLoss) {
          System.out.printf(Locale.ROOT, "%nstep %5d: train loss %.4f, validation loss %.4f%n", step, trainLoss,
              validationLoss);
        }
      });
    }
    System.out.printf(Locale.ROOT, "Validation loss (nats per character): %s %.4f, bigram baseline %.4f (%s)%n",
        kind.name().toLowerCase(Locale.ROOT), r.validationLoss(), r.bigramValidation(),
        r.validationLoss() < r.bigramValidation() ? "beats the baseline" : "does not beat the baseline");
    System.out.println("Sampled words: " + String.join(" ", r.samples()));
    return 0;
  }
}
