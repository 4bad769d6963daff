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

  /** The next creation sequence of this thread: increasing within the thread, never drawn by another thread. */
  long nextSequence() {
    if (nextSequence == blockEnd) {
      nextSequence = BLOCKS.getAndAdd(BLOCK);
      blockEnd = nextSequence + BLOCK;
    }
    return nextSequence++;
  }
}
