package dev.autograd.examples;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "worked-example", mixinStandardHelpOptions = true,
    description = "The lecture's 2-3-2 network: forward pass and the gradient table, computed by the engine.")
final class WorkedExampleCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    new WorkedExample().run().print(System.out);
    return 0;
  }
}
