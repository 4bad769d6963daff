package dev.autograd.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Exit codes and messages of the demo CLI: help works, mistakes are one clear line with exit code 2. */
class CommandLineTest {
  @TempDir
  Path out;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void helpListsTheSubcommands() {
    Run r = run("--help");
    assertEquals(0, r.code());
    for (String sub : new String[] {"worked-example", "moons", "bike-sharing", "mnist", "makemore", "graph"}) {
      assertTrue(r.out().contains(sub), r.out());
    }
  }

  @Test
  void missingDataIsAOneLineErrorWithExitCodeTwo() {
    Run r = run("bike-sharing", "--data", out.resolve("nowhere").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("error: no hour.csv"), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
  }

  @Test
  void badValuesAndUnknownOptionsAreRejected() {
    assertEquals(2, run("moons", "--steps", "0").code());
    assertEquals(2, run("moons", "--bogus").code());
    assertEquals(2, run("mnist", "--epochs", "many").code());
  }

  @Test
  void newExamplesRefuseBadModelsAndMissingFilesInOneLine() {
    Run r = run("mnist", "--model", "resnet", "--data", out.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--model must be mlp or cnn, got resnet"), r.err());
    r = run("makemore", "--data", out.resolve("words.txt").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("no word list at"), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    r = run("makemore", "--data", out.resolve("words.txt").toString(), "--model", "rnn");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--model must be mlp or transformer"), r.err());
    assertEquals(2, run("makemore").code(), "--data is required");
  }

  @Test
  void anUnknownDtypeIsOneLineBeforeLoadingAnything() {
    for (String example : new String[] {"mnist", "bike-sharing"}) {
      Run r = run(example, "--dtype", "float16", "--data", out.resolve("nowhere").toString());
      assertEquals(2, r.code(), example);
      assertTrue(r.err().contains("--dtype must be float32 or float64, got float16"), r.err());
      assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }
    assertTrue(run("mnist", "--help").out().contains("--dtype"));
  }

  @Test
  void anUnknownOptionIsOneLineNotTheUsageBlock() {
    Run r = run("--bogus");
    assertEquals(2, r.code());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("Unknown option: '--bogus'") && r.err().contains("--help"), r.err());
  }

  @Test
  void anOutputFolderThatCannotBeCreatedIsOneLineBeforeAnyWork() throws Exception {
    Path file = Files.writeString(out.resolve("a-file"), "not a folder");
    Run r = run("moons", "--steps", "1", "--out", file.resolve("plots").toString());
    assertEquals(2, r.code());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("cannot create the output folder"), r.err());
    assertFalse(r.out().contains("steps on the tensor engine"), "failed before training: " + r.out());
  }

  @Test
  void aMalformedDataFileIsNamedInOneLine() throws Exception {
    Files.writeString(out.resolve("hour.csv"), "instant,cnt\n1,\"2\n");
    Run r = run("bike-sharing", "--data", out.toString(), "--out", out.resolve("plots").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains(out.resolve("hour.csv").toString()), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
  }

  @Test
  void graphWritesDot() throws Exception {
    Run r = run("graph", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    String dot = Files.readString(out.resolve("graph.dot"));
    assertTrue(dot.contains("label=\"tanh\"") && dot.contains("w1 | data -3.0000 | grad 1.0000"), dot);
  }
}
