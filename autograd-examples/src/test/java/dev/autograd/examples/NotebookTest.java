package dev.autograd.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every notebook in {@code notebooks/} through JShell, snippet by snippet, exactly as {@code bin/jshell} would
 * (JShell's default imports plus {@code notebooks/startup.jsh}). JShell itself exits 0 when a snippet throws, so
 * this harness inspects each snippet's events and fails on an exception (including a failed {@code check}), a
 * snippet that does not compile, or a declaration left unresolved.
 */
class NotebookTest {
  private static final String DEFAULT_IMPORTS = "import java.io.*; import java.math.*; import java.net.*; "
      + "import java.nio.file.*; import java.util.*; import java.util.concurrent.*; import java.util.function.*; "
      + "import java.util.prefs.*; import java.util.regex.*; import java.util.stream.*;";

  private static final Path NOTEBOOKS = Paths.get("..", "notebooks");

  @TestFactory
  Stream<DynamicTest> everyNotebookRunsCleanly() throws IOException {
    List<Path> notebooks;
    try (Stream<Path> files = Files.list(NOTEBOOKS)) {
      notebooks = files.filter(p -> p.getFileName().toString().matches("\\d\\d-.*\\.jsh")).sorted()
          .collect(Collectors.toList());
    }
    assertFalse(notebooks.isEmpty(), "no notebooks found in " + NOTEBOOKS.toAbsolutePath());
    return notebooks.stream().map(nb -> DynamicTest.dynamicTest(nb.getFileName().toString(), () -> run(nb)));
  }

  private static void run(Path notebook) throws IOException {
    try (JShell shell = JShell.builder().executionEngine("local").build()) {
      String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      for (String entry : classpath.split(File.pathSeparator)) {
        if (!entry.isBlank()) {
          shell.addToClasspath(entry);
        }
      }
      evaluate(shell, "default imports", DEFAULT_IMPORTS);
      evaluate(shell, "startup.jsh", Files.readString(NOTEBOOKS.resolve("startup.jsh")));
      evaluate(shell, notebook.getFileName().toString(), Files.readString(notebook));
    }
  }

  /** Splits source into complete snippets (skipping JShell commands such as /exit) and evaluates each. */
  static void evaluate(JShell shell, String name, String source) {
    String remaining = source.lines().filter(l -> !l.strip().startsWith("/") || l.strip().startsWith("//"))
        .collect(Collectors.joining("\n"));
    SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
    while (!remaining.isBlank()) {
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
      if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
        break;
      }
      String snippet = info.completeness().isComplete() ? info.source() : remaining;
      remaining = info.completeness().isComplete() ? info.remaining() : "";
      for (SnippetEvent e : shell.eval(snippet)) {
        check(shell, name, snippet, e);
      }
    }
  }

  private static void check(JShell shell, String name, String snippet, SnippetEvent e) {
    if (e.exception() != null) {
      String type = e.exception() instanceof EvalException ? ((EvalException) e.exception()).getExceptionClassName()
          : e.exception().getClass().getName();
      fail(name + ": snippet threw " + type + ": " + e.exception().getMessage() + "\n  in: " + snippet.strip());
    }
    if (e.status() == Snippet.Status.REJECTED) {
      String diags = shell.diagnostics(e.snippet()).map(Diag::toString).map(d -> d.replaceAll("\\s+", " "))
          .collect(Collectors.joining("; "));
      fail(name + ": snippet does not compile (" + diags + ")\n  in: " + snippet.strip());
    }
    if (e.status() == Snippet.Status.RECOVERABLE_DEFINED || e.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
      fail(name + ": snippet refers to something undefined\n  in: " + snippet.strip());
    }
  }
}
