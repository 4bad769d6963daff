package dev.autograd.array;

import java.util.stream.IntStream;

/**
 * When to spread a kernel over the common ForkJoin pool. Small ops run on the caller's thread so they never pay a
 * thread hand-off; only work above {@link #MIN_PARALLEL_WORK} element-operations is split, into a few chunks per
 * core.
 */
final class Parallel {
  /** Roughly 100 microseconds of simple arithmetic: below this a fork costs more than it saves. */
  static final long MIN_PARALLEL_WORK = 1L << 16;

  /** The caller runs one chunk and the common pool the rest, so all cores can work (the pool alone has one fewer). */
  static final int MAX_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

  private static volatile int threads = MAX_THREADS;

  private Parallel() {}

  static int threads() {
    return threads;
  }

  static void setThreads(int n) {
    threads = n;
  }

  /** A body over the half-open range {@code [from, to)}. */
  @FunctionalInterface
  interface RangeBody {
    void run(int from, int to);
  }

  /**
   * Chunks per thread for large work: cores on a shared host run at different speeds, so equal halves would make the
   * faster core wait; with a few chunks each, it takes more of them.
   */
  private static final int CHUNKS_PER_THREAD = 4;

  /** Number of chunks worth using for {@code work} element-operations over {@code items} independent items. */
  static int chunks(long work, int items) {
    int t = threads;
    if (t == 1 || work < MIN_PARALLEL_WORK || items < 2) {
      return 1;
    }
    return (int) Math.min(Math.min((long) t * CHUNKS_PER_THREAD, items), work / (MIN_PARALLEL_WORK / 2));
  }

  /** Runs {@code body} over {@code [0, items)}, split into {@code chunks(work, items)} contiguous ranges. */
  static void forRange(int items, long work, RangeBody body) {
    int chunks = chunks(work, items);
    if (chunks <= 1) {
      body.run(0, items);
      return;
    }
    IntStream.range(0, chunks).parallel().forEach(c -> {
      int from = (int) ((long) items * c / chunks);
      int to = (int) ((long) items * (c + 1) / chunks);
      body.run(from, to);
    });
  }
}
