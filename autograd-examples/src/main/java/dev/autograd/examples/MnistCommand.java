package dev.autograd.examples;

import dev.autograd.array.DType;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "mnist", mixinStandardHelpOptions = true,
    description = "Handwritten digits with an MLP 784-256-128-10 or a LeNet-like CNN (IDX files, raw or gzip).")
final class MnistCommand implements Callable<Integer> {
  @Option(names = "--epochs", description = "Epochs (default: 5 for the MLP, 8 for the CNN).")
  Integer epochs;

  @Option(names = "--model", defaultValue = "mlp", description = "mlp or cnn (default: ${DEFAULT-VALUE}).")
  String model;

  @Mixin
  DataOptions input;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() throws IOException {
    Mnist.Architecture architecture = switch (model.toLowerCase(Locale.ROOT)) {
      case "mlp" -> Mnist.Architecture.MLP;
      case "cnn" -> Mnist.Architecture.CNN;
      default -> throw new UserException("--model must be mlp or cnn, got " + model);
    };
    int epochs = this.epochs != null ? this.epochs : architecture == Mnist.Architecture.CNN ? 8 : 5;
    if (epochs < 1) {
      throw new UserException("--epochs must be at least 1, got " + epochs);
    }
    input.checkBatch();
    DType dtype = input.dtype();
    Mnist.Data d = Mnist.load(input.data);
    System.out.println(d.description());
    System.out.printf(Locale.ROOT, "model %s, %s, %d epochs, batch %d%n", architecture == Mnist.Architecture.CNN
        ? "CNN" : "MLP 784-256-128-10", dtype, epochs, input.batch);
    int perEpoch = (d.train().size() + input.batch - 1) / input.batch;
    Mnist.Result r;
    try (Progress bar = new Progress("mnist", (long) epochs * perEpoch)) {
      r = Mnist.train(d, architecture, dtype, epochs, input.batch, common.seedOr(7), new Mnist.Listener() {
        @Override
        public void onStep(int epoch, int step, double loss) {
          bar.step(String.format(Locale.ROOT, "epoch %d  loss %.4f", epoch + 1, loss));
        }

        @Override
        public void onEpoch(int epoch, double loss, double accuracy) {
          System.out.printf(Locale.ROOT, "%nepoch %d: mean training loss %.4f, test accuracy %.2f%%%n", epoch + 1, loss,
              100 * accuracy);
        }
      });
    }
    System.out.printf(Locale.ROOT, "Test accuracy: %.2f%%%nConfusion matrix (rows: true digit, columns: predicted):%n",
        100 * r.finalAccuracy());
    System.out.print(Mnist.formatConfusion(r.confusion()));
    Console.wrote(List.of(Mnist.plotMistakes(r, d, common.out)));
    return 0;
  }
}
