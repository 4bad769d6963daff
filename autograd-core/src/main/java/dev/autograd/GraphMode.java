package dev.autograd;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-thread recording state: whether ops record the graph, whether anomaly detection is on, and the thread's source
 * of creation sequences. One thread-local lookup per op gives all three.
 */
final class GraphMode {
  private static final ThreadLocal<GraphMode> CURRENT = ThreadLocal.withInitial(GraphMode::new);
  /**
   * Sequences are handed to threads in blocks, so that each thread numbers its values without contention and no two
   * threads draw the same number (a shared plain counter lost updates under contention and could run backwards).
   */
  private static final AtomicLong BLOCKS = new AtomicLong();
  private static final long BLOCK = 1L << 20;

  boolean gradEnabled = true;
  boolean detectAnomaly;
  private long nextSequence;
  private long blockEnd;

  static GraphMode current() {
    return CURRENT.get();
  }

  /**
   * A creation sequence for a new op node, at least {@code floor} (one more than its latest input's): increasing and
   * distinct within the thread, and never drawn by another thread unless a graph mixes threads and {@code floor}
   * comes from another thread's block (the engine tolerates such equal sequences).
   */
  long sequenceFrom(long floor) {
    if (nextSequence >= blockEnd) {
      nextSequence = BLOCKS.getAndAdd(BLOCK);
      blockEnd = nextSequence + BLOCK;
    }
    long s = Math.max(nextSequence, floor);
    nextSequence = s + 1;
    return s;
  }
}
