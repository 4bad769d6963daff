package dev.autograd.examples;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every training demo shares (a picocli mixin). */
final class CommonOptions {
  @Option(names = "--seed", description = "Seed for data order and weights (default: the demo's own).")
  Long seed;

  @Option(names = "--out", defaultValue = "autograd-demo-output",
      description = "Folder for the plots (default: ${DEFAULT-VALUE}).")
  Path out;

  long seedOr(long fallback) {
    return seed == null ? fallback : seed;
  }
}
