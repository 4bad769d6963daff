package dev.autograd;

import java.util.Optional;
import java.util.Set;

/** Finds the first stack frame outside the engine: the user code that created an op (for anomaly reports). */
final class CallSite {
  private static final Set<String> ENGINE_CLASSES = Set.of(
      "dev.autograd.Value", "dev.autograd.Derivatives", "dev.autograd.PointwiseOp", "dev.autograd.Engine", "dev.autograd.Autograd",
      "dev.autograd.CallSite", "dev.autograd.CustomFunction");
  private static final StackWalker WALKER = StackWalker.getInstance();

  private CallSite() {}

  static String capture() {
    Optional<StackWalker.StackFrame> frame = WALKER.walk(frames -> frames
        .filter(f -> !isEngine(f.getClassName()))
        .findFirst());
    return frame.map(f -> f.toStackTraceElement().toString()).orElse("<unknown>");
  }

  private static boolean isEngine(String className) {
    int lambda = className.indexOf('$');
    String outer = lambda < 0 ? className : className.substring(0, lambda);
    return ENGINE_CLASSES.contains(outer) || outer.startsWith("dev.autograd.array.");
  }
}
