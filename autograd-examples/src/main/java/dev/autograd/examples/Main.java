package dev.autograd.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The demo application. Without a subcommand it runs the guided tour: the lecture's worked example, then micrograd's
 * moons classifier with its plots. Nothing needs a download.
 */
@Command(name = "autograd-demo", mixinStandardHelpOptions = true, version = "autograd 0.1.0",
    description = "Demos of the autograd engine. Without a subcommand: the guided tour.",
    subcommands = {WorkedExampleCommand.class, MoonsCommand.class, BikeSharingCommand.class, MnistCommand.class,
        GraphCommand.class})
public final class Main implements Callable<Integer> {
  @Option(names = "--out", defaultValue = "autograd-demo-output",
      description = "Folder for the plots (default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() throws IOException {
    Console.heading("1/2  Backprop by hand, done by the engine");
    new WorkedExample().run().print(System.out);
    Console.heading("2/2  micrograd's moons demo: MLP 2-16-16-1, hinge loss + L2, 100 SGD steps");
    return MoonsCommand.run(out, 100, 1337, false);
  }

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    int code = commandLine().execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** The configured command line: user mistakes become one-line messages with exit code 2, never stack traces. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      if (ex instanceof UserException || ex instanceof IOException || ex instanceof IllegalArgumentException) {
        cmd.getErr().println(cmd.getColorScheme().errorText("error: " + ex.getMessage()));
        return 2;
      }
      throw ex;
    });
    return cli;
  }
}
