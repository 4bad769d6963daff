package dev.autograd;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Runs every sample of {@link OpRegistry} through first- and second-order finite-difference checks. */
class OpGradientTest {
  private static final GradCheck CHECK = GradCheck.create();

  /** Runs a check, naming the op and sample in a failure (reports show only container indices). */
  private static void named(String what, Runnable check) {
    try {
      check.run();
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(what + ": " + e.getMessage(), e);
    }
  }

  @TestFactory
  Stream<DynamicContainer> everyOpMatchesFiniteDifferences() {
    return OpRegistry.all().values().stream().map(op -> {
      List<DynamicTest> tests = new ArrayList<>();
      for (OpRegistry.Sample s : op.samples) {
        String where = op.name + ", " + s.description();
        tests.add(DynamicTest.dynamicTest("first order: " + s.description(),
            () -> named("first order of " + where, () -> CHECK.verify(s.fn(), s.inputs()))));
        if (s.secondOrder()) {
          tests.add(DynamicTest.dynamicTest("second order: " + s.description(),
              () -> named("second order of " + where, () -> CHECK.verifySecondOrder(s.fn(), s.inputs()))));
        }
      }
      for (OpRegistry.Rejection r : op.rejections) {
        tests.add(DynamicTest.dynamicTest("rejects: " + r.description(), () -> {
          IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r.call()::run);
          for (String fragment : r.fragments()) {
            assertTrue(e.getMessage().contains(fragment), () -> "'" + fragment + "' missing from: " + e.getMessage());
          }
        }));
      }
      assertFalse(op.samples.isEmpty(), op.name + " has no samples");
      return DynamicContainer.dynamicContainer(op.name, tests);
    });
  }
}
