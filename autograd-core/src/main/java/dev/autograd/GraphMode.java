package dev.autograd;

/**
 * Per-thread recording switches: whether ops record the graph, and whether anomaly detection is on. One thread-local
 * lookup per op gives both.
 */
final class GraphMode {
  private static final ThreadLocal<GraphMode> CURRENT = ThreadLocal.withInitial(GraphMode::new);

  boolean gradEnabled = true;
  boolean detectAnomaly;

  static GraphMode current() {
    return CURRENT.get();
  }
}
