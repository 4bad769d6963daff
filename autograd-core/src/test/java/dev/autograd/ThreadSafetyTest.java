package dev.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Graphs built and differentiated on several threads at once. Values are not shared between threads here except
 * where a test says so; the engine must then give exactly the sequential result, bit for bit, or refuse a pass that
 * would race with another over the same value.
 */
class ThreadSafetyTest {
  /** A micrograd-style network of scalar values (2-8-8-1, tanh), and its loss over a fixed batch. */
  private static final class ScalarNet {
    final List<Value> params = new ArrayList<>();
    final Value[][] w1 = new Value[8][2];
    final Value[][] w2 = new Value[8][8];
    final Value[] w3 = new Value[8];

    ScalarNet(long seed) {
      SplittableRandom rng = new SplittableRandom(seed);
      for (Value[] row : w1) {
        fill(row, rng);
      }
      for (Value[] row : w2) {
        fill(row, rng);
      }
      fill(w3, rng);
    }

    private void fill(Value[] row, SplittableRandom rng) {
      for (int i = 0; i < row.length; i++) {
        row[i] = Value.scalar(rng.nextDouble(-1, 1)).requiresGrad(true);
        params.add(row[i]);
      }
    }

    Value loss(int samples) {
      Value total = Value.scalar(0.0);
      for (int s = 0; s < samples; s++) {
        double x0 = Math.sin(s);
        double x1 = Math.cos(3 * s);
        Value[] h1 = new Value[8];
        for (int i = 0; i < 8; i++) {
          h1[i] = w1[i][0].mul(x0).add(w1[i][1].mul(x1)).tanh();
        }
        Value out = Value.scalar(0.0);
        for (int i = 0; i < 8; i++) {
          Value h = Value.scalar(0.0);
          for (int j = 0; j < 8; j++) {
            h = h.add(w2[i][j].mul(h1[j]));
          }
          out = out.add(w3[i].mul(h.tanh()));
        }
        total = total.add(out.sub(x0 * x1).pow(2));
      }
      return total;
    }

    double[] gradients() {
      double[] g = new double[params.size()];
      for (int i = 0; i < g.length; i++) {
        g[i] = params.get(i).grad().item();
        params.get(i).zeroGrad();
      }
      return g;
    }
  }

  private static double[] reference(long seed) {
    ScalarNet net = new ScalarNet(seed);
    net.loss(10).backward();
    return net.gradients();
  }

  @Test
  void backwardIsExactWhileOtherThreadsBuildUnrelatedValues() throws Exception {
    double[] expected = reference(7);
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> noise = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      int id = t;
      Thread thread = new Thread(() -> {
        long i = 0;
        while (!stop.get()) { // constants and small recorded graphs, nothing shared with the network
          Value c = Value.scalar(i++).add(Value.scalar(id));
          Value v = Value.scalar(0.5).requiresGrad(true);
          c.mul(v).tanh().backward();
        }
      });
      thread.start();
      noise.add(thread);
    }
    int matched = 0;
    try {
      for (int pass = 0; pass < 120; pass++) {
        ScalarNet net = new ScalarNet(7);
        net.loss(10).backward();
        if (java.util.Arrays.equals(expected, net.gradients())) {
          matched++;
        }
      }
    } finally {
      stop.set(true);
      for (Thread t : noise) {
        t.join();
      }
    }
    assertEquals(120, matched, "backward passes equal to the single-threaded result");
  }

  @Test
  void independentTrainingRunsOnSeveralThreadsEqualSequentialRuns() throws Exception {
    int threads = 3;
    double[][] sequential = new double[threads][];
    for (int t = 0; t < threads; t++) {
      sequential[t] = train(100 + t);
    }
    double[][] parallel = new double[threads][];
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread w = new Thread(() -> {
        try {
          start.await();
          parallel[id] = train(100 + id);
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      w.start();
      workers.add(w);
    }
    start.countDown();
    for (Thread w : workers) {
      w.join(TimeUnit.MINUTES.toMillis(2));
    }
    assertTrue(failures.isEmpty(), failures.toString());
    for (int t = 0; t < threads; t++) {
      assertArrayEquals(sequential[t], parallel[t], "thread " + t); // exact: no tolerance
    }
  }

  /** A few SGD steps on one network; returns the final parameters. */
  private static double[] train(long seed) {
    ScalarNet net = new ScalarNet(seed);
    for (int step = 0; step < 15; step++) {
      net.loss(6).backward();
      for (Value p : net.params) {
        p.setData(p.data().sub(p.grad().mul(0.05)));
        p.zeroGrad();
      }
    }
    double[] out = new double[net.params.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = net.params.get(i).item();
    }
    return out;
  }

  @Test
  void concurrentPassesOverASharedParameterAreExactOrRefused() throws Exception {
    Value shared = Value.of(0.3, -0.7, 1.1).requiresGrad(true);
    double[] expected = Autograd.grad(shared.mul(shared).tanh().sum(), shared).data().toArray();
    exactOrRefusedOnTwoThreads(expected, () -> Autograd.grad(shared.mul(shared).tanh().sum(), shared).data().toArray());
  }

  /**
   * Runs {@code pass} 2,000 times on each of two threads at once: every run must give {@code expected} exactly or be
   * refused as a concurrent pass.
   */
  private static void exactOrRefusedOnTwoThreads(double[] expected, java.util.function.Supplier<double[]> pass)
      throws InterruptedException {
    AtomicInteger exact = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      Thread w = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < 2000; i++) {
          try {
            double[] g = pass.get();
            if (java.util.Arrays.equals(expected, g)) {
              exact.incrementAndGet();
            } else {
              wrong.add(java.util.Arrays.toString(g));
            }
          } catch (IllegalStateException e) {
            if (e.getMessage().contains("another backward pass")) {
              refused.incrementAndGet();
            } else {
              wrong.add(e.toString());
            }
          }
        }
      });
      w.start();
      workers.add(w);
    }
    start.countDown();
    for (Thread w : workers) {
      w.join();
    }
    assertTrue(wrong.isEmpty(), () -> wrong.size() + " wrong results, e.g. " + wrong.peek());
    assertEquals(4000, exact.get() + refused.get());
  }

  @Test
  void aGraphBuiltOnSeveralThreadsIsDifferentiatedExactly() throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 200; round++) {
        Value x = Value.of(0.5, -1.0, 2.0).requiresGrad(true);
        // parts built on two other threads from the shared leaf (their creation numbers come from different
        // blocks), then combined and differentiated here
        java.util.concurrent.Future<Value> first = pool.submit(() -> x.mul(x).tanh());
        java.util.concurrent.Future<Value> second = pool.submit(() -> x.sin().mul(3.0).add(x));
        Value y = first.get().add(second.get()).add(x.mul(x)).sum();
        double[] g = Autograd.grad(y, x).data().toArray();
        double[] xs = {0.5, -1.0, 2.0};
        for (int i = 0; i < 3; i++) {
          double t = Math.tanh(xs[i] * xs[i]);
          double expected = (1 - t * t) * 2 * xs[i] + 3 * Math.cos(xs[i]) + 1 + 2 * xs[i];
          assertEquals(expected, g[i], 1e-12, "round " + round + ", element " + i);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theSameRetainedGraphDifferentiatedOnTwoThreadsIsExactOrRefused() throws Exception {
    Value x = Value.of(0.3, -0.7, 1.1).requiresGrad(true);
    Value loss = x.mul(x).tanh().mul(x.sin()).sum();
    double[] expected = Autograd.grad(loss, List.of(x), true, false).get(0).data().toArray();
    exactOrRefusedOnTwoThreads(expected, () -> Autograd.grad(loss, List.of(x), true, false).get(0).data().toArray());
  }
}
