package dev.autograd.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * CI does not benchmark; it checks that the benchmarks compile and run: every end-to-end workload with a tiny budget,
 * and one JMH benchmark of each class (two of KernelBenchmarks: matmul and sgemm) for one short iteration, in-process.
 */
class BenchmarkSmokeTest {
  @Test
  void everyEndToEndWorkloadRunsAtSmokeSize() {
    List<Compare.Row> rows = Compare.smokeRows();
    // which rows exist must not depend on the host: 4a and 4c say "not available" where no native BLAS loads
    for (String id : List.of("1.", "1b.", "5.", "2.", "3.", "4a.", "4b.", "4c.", "4d.", "6a.", "6b.", "6c.", "7a.",
        "7b.", "8.")) {
      assertTrue(rows.stream().anyMatch(r -> r.workload().startsWith(id)), () -> "no row " + id + " in " + rows);
    }
    for (Compare.Row r : rows) {
      assertFalse(r.ours().isBlank() || r.ours().startsWith("NaN"), r.toString());
    }
  }

  @Test
  void jmhBenchmarksRun() throws RunnerException {
    Options options = new OptionsBuilder()
        .include("KernelBenchmarks.(matmul|sgemm)$|GraphBenchmarks.scalarOpForwardBackwardPerNode")
        .param("n", "64").forks(0).warmupIterations(0).measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(50)).shouldFailOnError(true).build();
    Collection<RunResult> results = new Runner(options).run();
    assertEquals(3, results.size());
    for (RunResult r : results) {
      assertTrue(r.getPrimaryResult().getScore() > 0, r.getParams().getBenchmark());
    }
  }
}
