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
        MakemoreCommand.class,
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
    cli.setParameterExceptionHandler((ex, args) -> { // a bad option or argument: one line, not the usage block
      CommandLine cmd = ex.getCommandLine();
      cmd.getErr().println(cmd.getColorScheme().errorText("error: " + ex.getMessage() + " (see "
          + cmd.getCommandSpec().qualifiedName() + " --help)"));
      return 2;
    });
    cli.setExecutionStrategy(parsed -> {
      prepareOutputFolders(parsed);
      return new CommandLine.RunLast().execute(parsed);
    });
    cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      if (ex instanceof UserException || ex instanceof IOException || ex instanceof IllegalArgumentException
          || ex instanceof java.io.UncheckedIOException) {
        Throwable cause = ex.getCause();
        String detail = ex instanceof java.io.UncheckedIOException && cause != null ? ": " + cause.getMessage() : "";
        cmd.getErr().println(cmd.getColorScheme().errorText("error: " + ex.getMessage() + detail));
        return 2;
      }
      throw ex;
    });
    return cli;
  }

  /** Creates every {@code --out} folder before any work starts, so that a bad one fails at once, in one line. */
  private static void prepareOutputFolders(CommandLine.ParseResult parsed) {
    for (CommandLine cmd : parsed.asCommandLineList()) {
      CommandLine.Model.OptionSpec out = cmd.getCommandSpec().findOption("--out");
      if (out != null && out.getValue() != null) {
        Path folder = out.getValue();
        try {
          java.nio.file.Files.createDirectories(folder);
        } catch (IOException | SecurityException e) {
          throw new CommandLine.ParameterException(cmd, "cannot create the output folder " + folder + " ("
              + (e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                  : e.getClass().getSimpleName()) + ")");
        }
      }
    }
  }
}
