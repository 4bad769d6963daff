package dev.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Adding a public op to {@link Value} or to another op class without an {@link OpRegistry} entry fails the build. */
class OpCoverageTest {
  /** The classes whose public methods are ops: Value's instance methods and the static ops of the others. */
  private static final List<Class<?>> OP_CLASSES = List.of(Value.class, Linalg.class, Conv.class);

  /** Public methods returning Value that are not differentiable ops: factories, markers and graph utilities. */
  private static final Set<String> NOT_OPS = Set.of("scalar", "of", "zeros", "ones", "full", "arange", "randn", "rand",
      "uniform", "requiresGrad", "retainGrad", "label", "detach");

  /** Whether {@code type} is what an op returns: a Value, or a record of Values (a factorisation's outputs). */
  private static boolean isOpResult(Class<?> type) {
    if (type == Value.class) {
      return true;
    }
    return type.isRecord() && Arrays.stream(type.getRecordComponents()).allMatch(c -> c.getType() == Value.class);
  }

  static Set<String> publicOps() {
    Set<String> ops = new TreeSet<>();
    for (Class<?> owner : OP_CLASSES) {
      for (Method m : owner.getDeclaredMethods()) {
        boolean instanceOrStatic = owner == Value.class || Modifier.isStatic(m.getModifiers());
        if (Modifier.isPublic(m.getModifiers()) && instanceOrStatic && isOpResult(m.getReturnType())
            && !NOT_OPS.contains(m.getName())) {
          ops.add(m.getName());
        }
      }
    }
    return ops;
  }

  @Test
  void everyPublicOpHasARegistryEntry() {
    Set<String> ops = publicOps();
    Set<String> missing = new TreeSet<>(ops);
    missing.removeAll(OpRegistry.all().keySet());
    assertTrue(missing.isEmpty(), "ops without an OpRegistry entry (add samples and rejections): " + missing);
    Set<String> stale = new TreeSet<>(OpRegistry.all().keySet());
    stale.removeAll(ops);
    assertEquals(Set.of(), stale, "registry entries for ops no op class has");
  }

  @Test
  void theScanFindsTheStaticOpsAndTheirResultRecords() {
    Set<String> ops = publicOps();
    assertTrue(ops.containsAll(Set.of("solve", "det", "qr", "svd", "matmul", "conv2d", "maxPool2d")), () -> "scan found " + ops);
  }

  /** A pointwise row or family without its public forwarder (or its registry sample) is half an op. */
  @Test
  void everyPointwiseRowHasAValueMethodAndARegistryEntry() {
    Set<String> valueMethods = new TreeSet<>();
    for (Method m : Value.class.getMethods()) {
      if (m.getReturnType() == Value.class) {
        valueMethods.add(m.getName());
      }
    }
    Set<String> rows = new TreeSet<>();
    PointwiseOps.TABLE.forEach(op -> rows.add(op.name));
    PointwiseOps.FAMILIES.forEach(f -> rows.add(f.name()));
    for (String row : rows) {
      assertTrue(valueMethods.contains(row), "PointwiseOps row '" + row + "' has no Value." + row + "(...)");
      assertTrue(OpRegistry.all().containsKey(row), "PointwiseOps row '" + row + "' has no OpRegistry entry");
    }
  }

  @Test
  void everyOpHasSamplesAndEveryOpWithArgumentsHasRejections() {
    // unary pointwise ops accept every input (the IEEE results out of their domain are documented)
    Set<String> noRejectionNeeded = new TreeSet<>(Set.of("neg", "exp", "log", "sqrt", "abs", "tanh", "sigmoid", "relu",
        "softplus", "logicalNot", "isnan", "isinf", "isfinite", "nanToNum", "to")); // to: every dtype is valid
    PointwiseOps.TABLE.stream().filter(PointwiseOp::isUnary).forEach(op -> noRejectionNeeded.add(op.name));
    for (OpRegistry.OpInfo op : OpRegistry.all().values()) {
      assertTrue(!op.samples.isEmpty(), op.name + " has no samples");
      assertTrue(noRejectionNeeded.contains(op.name) || !op.rejections.isEmpty(), op.name + " has no rejected inputs");
    }
  }
}
