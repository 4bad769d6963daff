package dev.autograd.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "mnist", mixinStandardHelpOptions = true,
    description = "Handwritten digits with an MLP 784-256-128-10 (IDX files, raw or gzip).")
final class MnistCommand implements Callable<Integer> {
  @Option(names = "--data", description = "Folder with the MNIST IDX files; without it they are downloaded and cached.")
  Path data;

  @Option(names = "--epochs", defaultValue = "5", description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--batch", defaultValue = "128", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
  int batch;


  @Mixin
  CommonOptions common;

  @Override
  public Integer call() throws IOException {
    if (epochs < 1 || batch < 1) {
      throw new UserException("--epochs and --batch must be at least 1");
    }
    Mnist.Data d = Mnist.load(data);
    System.out.println(d.description());
    int perEpoch = (d.train().size() + batch - 1) / batch;
    Mnist.Result r;
    try (Progress bar = new Progress("mnist", (long) epochs * perEpoch)) {
      r = Mnist.train(d, epochs, batch, common.seedOr(7), new Mnist.Listener() {
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
