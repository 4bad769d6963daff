package dev.autograd.examples;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options of the real-data demos: where the files are, and the mini-batch size (a picocli mixin). */
final class DataOptions {
  @Option(names = "--data",
      description = "Folder with the data set's files; without it they are downloaded once into a cache.")
  Path data;

  @Option(names = "--batch", defaultValue = "128", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
  int batch;

  void checkBatch() {
    if (batch < 1) {
      throw new UserException("--batch must be at least 1, got " + batch);
    }
  }
}
