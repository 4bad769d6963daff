// Imports for autograd notebooks: loaded by bin/jshell before any /open.
import dev.autograd.*;
import dev.autograd.array.*;
import static dev.autograd.array.DType.*;
import java.util.*;
import java.util.random.RandomGenerator;
import java.util.SplittableRandom;
import dev.autograd.nn.*;
import dev.autograd.nn.optim.*;
import dev.autograd.nn.data.*;
import dev.autograd.nn.io.*;
import java.nio.file.*;

// Notebook self-checks: a wrong result throws, which the CI harness (NotebookTest) turns into a failure.
void check(boolean ok, String what) {
  if (!ok) throw new AssertionError("check failed: " + what);
}

void checkClose(double actual, double expected, double tolerance, String what) {
  if (!(Math.abs(actual - expected) <= tolerance)) {
    throw new AssertionError("check failed: " + what + ": expected " + expected + ", got " + actual);
  }
}

// The course data set (`shared/data` beside the checkout), found from the working folder or any folder above it;
// null when absent, so a notebook can fall back to data of its own.
Path sharedData(String relative) {
  for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
    Path candidate = p.resolve("shared").resolve("data").resolve(relative);
    if (Files.exists(candidate)) return candidate;
  }
  return null;
}
