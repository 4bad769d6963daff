package dev.autograd.examples;

import dev.autograd.array.DType;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Options of the real-data demos: where the files are, the mini-batch size and the dtype (a picocli mixin). */
final class DataOptions {
  @Option(names = "--data",
      description = "Folder with the data set's files; without it they are downloaded once into a cache.")
  Path data;

  @Option(names = "--batch", defaultValue = "128", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--dtype", defaultValue = "float64",
      description = "float32 or float64: the dtype of the model, its optimizer state and the data "
          + "(default: ${DEFAULT-VALUE}).")
  String dtype;

  /** The {@code --dtype} option as a dtype. */
  DType dtype() {
    return switch (dtype.toLowerCase(Locale.ROOT)) {
      case "float32" -> DType.FLOAT32;
      case "float64" -> DType.FLOAT64;
      default -> throw new UserException("--dtype must be float32 or float64, got " + dtype);
    };
  }

  void checkBatch() {
    if (batch < 1) {
      throw new UserException("--batch must be at least 1, got " + batch);
    }
  }
}
