package dev.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Adding a public op to {@link Value} without an {@link OpRegistry} entry fails the build. */
class OpCoverageTest {
  /** Public methods returning Value that are not differentiable ops: factories, markers and graph utilities. */
  private static final Set<String> NOT_OPS = Set.of("scalar", "of", "zeros", "ones", "full", "arange", "randn", "rand",
      "uniform", "requiresGrad", "retainGrad", "label", "detach");

  @Test
  void everyPublicOpHasARegistryEntry() {
    Set<String> ops = new TreeSet<>();
    for (Method m : Value.class.getDeclaredMethods()) {
      if (Modifier.isPublic(m.getModifiers()) && m.getReturnType() == Value.class && !NOT_OPS.contains(m.getName())) {
        ops.add(m.getName());
      }
    }
    Set<String> missing = new TreeSet<>(ops);
    missing.removeAll(OpRegistry.all().keySet());
    assertTrue(missing.isEmpty(), "ops without an OpRegistry entry (add samples and rejections): " + missing);
    Set<String> stale = new TreeSet<>(OpRegistry.all().keySet());
    stale.removeAll(ops);
    assertEquals(Set.of(), stale, "registry entries for ops Value no longer has");
  }

  @Test
  void everyOpHasSamplesAndEveryOpWithArgumentsHasRejections() {
    Set<String> noRejectionNeeded = Set.of("neg", "exp", "log", "sqrt", "abs", "tanh", "sigmoid", "relu", "softplus");
    for (OpRegistry.OpInfo op : OpRegistry.all().values()) {
      assertTrue(!op.samples.isEmpty(), op.name + " has no samples");
      assertTrue(noRejectionNeeded.contains(op.name) || !op.rejections.isEmpty(), op.name + " has no rejected inputs");
    }
  }
}
