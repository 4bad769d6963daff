package dev.autograd.bench;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.Value;
import dev.autograd.array.DType;
import dev.autograd.array.Gemm;
import dev.autograd.array.Gemms;
import dev.autograd.array.NDArray;
import dev.autograd.array.Threads;
import dev.autograd.nn.Losses;
import dev.autograd.nn.MLP;
import dev.autograd.nn.optim.Adam;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The performance targets side by side with PyTorch and NumPy, measured in one run, printed as Markdown tables of
 * ratios: first the default configuration, in a child JVM started as a user's would be (no JVM flag, the system BLAS
 * hidden from netlib), then the tuned one in this JVM (the Vector API enabled). {@code --config default} or
 * {@code --config tuned} runs one of them; {@code --smoke} runs every workload with tiny budgets and no peers (what
 * CI checks). {@code --workloads matmul} runs only the matrix-product rows (4a-4d), in a minute or two instead of
 * about eight: {@code ./mvnw -q -B -pl autograd-bench -am package -DskipTests exec:exec -Dbench.workloads=matmul};
 * {@code --workloads mlp} only the MLP training-step rows (1, 1b, 1f, 5).
 */
public final class Compare {
  /** One line of the table; for rates higher is better, for times lower is better. */
  record Row(String workload, String ours, String peer, String ratio, String target, String verdict) {
    Row(String workload, String ours, String peer, String ratio, String target, boolean met) {
      this(workload, ours, peer, ratio, target, met ? "yes" : "**no**");
    }
  }

  private final boolean smoke;
  private final List<Row> rows = new ArrayList<>();

  private Compare(boolean smoke) {
    this.smoke = smoke;
  }

  /** The JVM option that hides a system BLAS from netlib, as on a machine that has none. */
  static final String HIDE_SYSTEM_BLAS = "-Ddev.ludovic.netlib.blas.nativeLibPath=/nonexistent/libblas.so.3";

  public static void main(String[] args) throws Exception {
    List<String> list = List.of(args);
    boolean smoke = list.contains("--smoke");
    int at = list.indexOf("--config");
    String config = at >= 0 && at + 1 < list.size() ? list.get(at + 1) : smoke ? "current" : "both";
    int w = list.indexOf("--workloads");
    String workloads = w >= 0 && w + 1 < list.size() ? list.get(w + 1) : "all";
    checkArgument(List.of("all", "matmul", "mlp").contains(workloads),
        "--workloads: expected all, matmul or mlp, got %s", workloads);
    if (config.equals("both")) {
      runDefaultConfigurationInChild(workloads);
      config = "tuned";
    }
    Compare c = new Compare(smoke);
    Peers peers = smoke ? null : Peers.find();
    switch (workloads) {
      case "matmul":
        c.matmul(peers);
        break;
      case "mlp":
        c.mlp(peers);
        break;
      default:
        c.runAll(peers);
    }
    System.out.print(c.table(peers, describe(config)));
  }

  private static String describe(String config) {
    switch (config) {
      case "default":
        return "Default configuration: no JVM flag, system BLAS hidden (" + HIDE_SYSTEM_BLAS + "), autograd-openblas on "
            + "the class path as in the examples. Reproduce: ./mvnw -q -B -pl autograd-bench -am package -DskipTests "
            + "exec:exec -Dbench.config=default";
      case "tuned":
        return "Tuned configuration: --add-modules jdk.incubator.vector (the Vector API kernel for pure-Java "
            + "products). Reproduce: ./mvnw -q -B -pl autograd-bench -am package -DskipTests exec:exec "
            + "-Dbench.config=tuned";
      default:
        return "Configuration: as this JVM was started";
    }
  }

  /** The same comparison in a JVM started without flags and without the system BLAS; its table goes to our stdout. */
  private static void runDefaultConfigurationInChild(String workloads) throws Exception {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx4g", HIDE_SYSTEM_BLAS, "-cp", System.getProperty("java.class.path"),
        Compare.class.getName(), "--config", "default", "--workloads", workloads).inheritIO()
        .start();
    if (p.waitFor() != 0) {
      System.out.println("(the default-configuration run failed with exit code " + p.exitValue() + ")");
    }
    System.out.println();
  }

  static List<Row> smokeRows() {
    Compare c = new Compare(true);
    c.runAll(null);
    return c.rows;
  }

  private int n(int full, int tiny) {
    return smoke ? tiny : full;
  }

  private void runAll(Peers peers) {
    // The scalar step runs first, before array workloads have trained the JIT's type profiles of the shared op code
    // on arrays (they cost it 10-40% here); JMH forks a JVM per benchmark for the same reason.
    Row scalar = scalar();
    settle();
    mlp(peers);
    settle();
    tiny(peers);
    rows.add(scalar);
    settle();
    matmul(peers);
    chain();
    flatHeap();
    parallelism();
    settle();
    conv(peers);
    memoryRow();
  }

  private void mlp(Peers peers) {
    MlpResult result = mlpRows(peers, "1. MLP 784-256-128-10 train step, f64", 128, 1.0, n(300, 2), 200, 784,
        256, 128, 10);
    Workloads.MlpStep step = result.step();
    pureJavaMlpRow(step, result.torchMillis());
    settle();
    mlpFloat32Row(peers);
    double forward = Double.POSITIVE_INFINITY;
    double both = Double.POSITIVE_INFINITY;
    for (int round = 0; round < rounds(); round++) { // alternating, best of each, as for the ratios
      forward = Math.min(forward, Workloads.medianMillis(n(100, 2), n(200, 3), step.forwardOnly()));
      both = Math.min(both, Workloads.medianMillis(n(100, 2), n(200, 3), step.forwardBackward()));
    }
    double ratio = (both - forward) / forward;
    rows.add(new Row("5. MLP backward / forward time", fmt(ratio) + "x", "", "", "<= 2.5x", ratio <= 2.5));
  }

  /** The MLP step in float32 against PyTorch's float32 step, alternating as the other rows; target 0.8. */
  private void mlpFloat32Row(Peers peers) {
    Workloads.MlpStep step = new Workloads.MlpStep(DType.FLOAT32, 128, 784, 256, 128, 10);
    double ours = Double.POSITIVE_INFINITY;
    double torch = Double.NaN;
    for (int round = 0; round < rounds(); round++) {
      ours = Math.min(ours, Workloads.medianMillis(n(300, 2), n(300, 2), step));
      if (peers != null) {
        torch = best(torch, peers.torchStepMillis("float32", "784,256,128,10", 128, 200));
      }
    }
    timeRow("1f. MLP 784-256-128-10 train step, f32, batch 128", ours, torch, "PyTorch f32", 0.8);
  }

  /**
   * Heap retained by a model with its gradients and Adam state, float32 over float64, measured as the growth of the
   * used heap after full collections; target 0.5. The arrays take exactly half (Float32MemoryTest counts them); the
   * few megabytes of objects around them (values, modules, optimizer bookkeeping) do not shrink, hence 2% of slack.
   * The model is deep rather than wide (40 layers of 320 × 320, 4.1
   * million parameters): each weight array then stays below G1's humongous size, since a humongous array takes whole
   * heap regions and would measure the region rounding rather than the array.
   */
  private void memoryRow() {
    double[] bytes = new double[2];
    DType[] dtypes = {DType.FLOAT64, DType.FLOAT32};
    int width = n(320, 32);
    int[] sizes = new int[42];
    java.util.Arrays.fill(sizes, width);
    sizes[41] = 10;
    for (int i = 0; i < 2; i++) {
      long before = usedHeapAfterGc();
      MLP model = MLP.builder().sizes(sizes).seed(0).build().to(dtypes[i]);
      Adam adam = Adam.builder(model.parameters()).lr(1e-3).build();
      Losses.crossEntropy(model.forward(Value.of(NDArray.randn(new SplittableRandom(1), dtypes[i], 16, width))),
          new int[16]).backward();
      adam.step(); // creates both moment buffers
      bytes[i] = usedHeapAfterGc() - before;
      java.lang.ref.Reference.reachabilityFence(model);
      java.lang.ref.Reference.reachabilityFence(adam);
    }
    double ratio = bytes[1] / bytes[0];
    rows.add(new Row("9. memory: f32 model + grads + Adam state / f64 (MLP 40 x " + width + "², measured heap)",
        String.format(Locale.ROOT, "%.0f MB / %.0f MB", bytes[1] / 1e6, bytes[0] / 1e6), "", fmt(ratio),
        "0.5 (+2%: objects do not halve)", ratio <= 0.51));
  }

  private void tiny(Peers peers) {
    mlpRows(peers, "2. tiny MLP 2-16-16-1 train step", 100, 0.5, n(3000, 5), 2000, 2, 16, 16, 1);
  }

  /**
   * Times one MLP's training step (median of {@code runs} after as many warm-up steps) and adds a row against PyTorch
   * (with the target ratio) and one against NumPy, whose scripts time {@code peerSteps} steps. Ours and the peers
   * take turns for a few rounds and each side keeps its best median: noise on a shared host only ever slows a run
   * down, and a burst that hits one side's only run would decide the ratio.
   */
  /**
   * The same step with every product in the pure-Java kernel, as for a user of autograd-core alone (no
   * autograd-openblas, no system BLAS); target 1.5× PyTorch.
   */
  private void pureJavaMlpRow(Workloads.MlpStep step, double torch) {
    Gemm chosen = Gemms.current();
    Gemm java = Gemms.pureJava();
    Gemms.install(java);
    try {
      double ours = Double.POSITIVE_INFINITY;
      for (int round = 0; round < rounds(); round++) {
        ours = Math.min(ours, Workloads.medianMillis(n(300, 2), n(300, 2), step));
      }
      timeRow("1b. same step, products in pure Java (" + java.name() + ")", ours, torch, "PyTorch", 1.5);
    } finally {
      Gemms.install(chosen);
    }
  }

  /** An MLP workload and PyTorch's time for it (NaN when not measured). */
  record MlpResult(Workloads.MlpStep step, double torchMillis) {}

  private MlpResult mlpRows(Peers peers, String name, int batch, double target, int runs, int peerSteps,
      int... sizes) {
    Workloads.MlpStep step = new Workloads.MlpStep(batch, sizes);
    String spec = java.util.Arrays.stream(sizes).mapToObj(String::valueOf)
        .collect(java.util.stream.Collectors.joining(","));
    double ours = Double.POSITIVE_INFINITY;
    double torch = Double.NaN;
    double numpy = Double.NaN;
    for (int round = 0; round < rounds(); round++) {
      ours = Math.min(ours, Workloads.medianMillis(runs, runs, step));
      if (peers != null) {
        torch = best(torch, peers.torchStepMillis(spec, batch, peerSteps));
        numpy = best(numpy, peers.numpyStepMillis(spec, batch, peerSteps));
      }
    }
    timeRow(name + ", batch " + batch, ours, torch, "PyTorch", target);
    timeRow("   (same, vs hand-written NumPy)", ours, numpy, "NumPy", Double.NaN);
    return new MlpResult(step, torch);
  }

  private int rounds() {
    return n(3, 1);
  }

  /** The smaller of two times, where NaN means "not measured". */
  private static double best(double a, double b) {
    return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.min(a, b);
  }

  private Row scalar() {
    Workloads.ScalarMoonsStep step = new Workloads.ScalarMoonsStep(Workloads.moons(n(100, 10), 0));
    // a step is 65,000 ops of a dozen kinds: about two seconds until the JIT has compiled and recompiled them all
    double ours = Workloads.medianMillis(n(600, 1), n(100, 2), step);
    for (int round = 1; round < rounds(); round++) { // best of a few medians, as for the MLP rows
      ours = Math.min(ours, Workloads.medianMillis(0, n(100, 2), step));
    }
    return new Row("3. scalar-Value micrograd step (100 moons, 2-16-16-1)", fmt(ours) + " ms", "", "", "< 5 ms",
        ours < 5);
  }

  /** The larger of two rates, where NaN means "not measured" (that round's peer run failed). */
  private static double fastest(double a, double b) {
    return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
  }

  private void matmul(Peers peers) {
    int size = n(1024, 64);
    Gemm nat = Gemms.nativeOrNull();
    Gemm java = Gemms.pureJava();
    // ours and NumPy take turns, each keeping its best, as for the MLP rows: OpenBLAS splits a product evenly over
    // both cores, so one core taken away for a moment (a compiler thread, the host) halves a single measurement
    double numpy = Double.NaN;
    double numpyFloat = Double.NaN;
    double nativeRate = 0;
    double javaRate = 0;
    double nativeFloatRate = 0;
    double javaFloatRate = 0;
    for (int round = 0; round < rounds(); round++) {
      if (peers != null) {
        Peers.MatmulRates rates = peers.numpyMatmulGflops(size);
        numpy = fastest(numpy, rates.float64());
        numpyFloat = fastest(numpyFloat, rates.float32());
      }
      if (nat != null) {
        nativeRate = Math.max(nativeRate, Workloads.matmulGflops(nat, size, n(5, 1)));
        nativeFloatRate = Math.max(nativeFloatRate, Workloads.sgemmGflops(nat, size, n(5, 1)));
      }
      javaRate = Math.max(javaRate, Workloads.matmulGflops(java, size, n(5, 1)));
      javaFloatRate = Math.max(javaFloatRate, Workloads.sgemmGflops(java, size, n(5, 1)));
    }
    if (nat != null) {
      rateRow("4a. matmul f64 n=" + size + ", native BLAS (" + nat.name() + ")", nativeRate, numpy, 0.9);
    } else {
      rows.add(new Row("4a. matmul, native BLAS", "not available", "", "", ">= 90% of NumPy", false));
    }
    rateRow("4b. matmul f64 n=" + size + ", pure Java (" + java.name() + ")", javaRate, numpy, 0.3);
    if (nat != null) {
      rateRow("4c. sgemm f32 n=" + size + ", native BLAS (" + nat.name() + ")", nativeFloatRate, numpyFloat, 0.9);
    } else {
      rows.add(new Row("4c. sgemm f32, native BLAS", "not available", "", "", ">= 90% of NumPy", false));
    }
    String pureFloat = "4d. sgemm f32 n=" + size + ", pure Java (" + java.name() + ")";
    if (java.name().startsWith("java-vector")) {
      rateRow(pureFloat, javaFloatRate, numpyFloat, 0.4);
    } else { // #12's 40% is the Vector API kernel's (the tuned table); here the loop kernel is shown for reference
      rows.add(new Row(pureFloat, fmt(javaFloatRate) + " GFLOP/s", fmt(numpyFloat) + " GFLOP/s (NumPy)",
          fmt(javaFloatRate / numpyFloat), "(>= 0.4 with the Vector API: tuned table)", "n/a"));
    }
    if (nat != null) {
      double diff = maxRelativeDifference(nat, java, n(512, 32), false);
      rows.add(new Row("    pure Java vs native, max relative difference", String.format(Locale.ROOT, "%.1e", diff),
          "", "", "<= 1e-12", diff <= 1e-12));
      // float rounds every partial sum to 24 bits: differences of a few 1e-7, growing like sqrt(n)
      double floatDiff = maxRelativeDifference(nat, java, n(512, 32), true);
      rows.add(new Row("    same in f32", String.format(Locale.ROOT, "%.1e", floatDiff), "", "", "<= 1e-5",
          floatDiff <= 1e-5));
    }
  }

  /**
   * One conv2d layer on MNIST-shaped data, forward and backward (weight and bias gradients, as a first layer), against
   * torch_conv.py; ours and PyTorch take turns and each keeps its best median, as for the MLP rows.
   */
  private void conv(Peers peers) {
    int batch = n(64, 2);
    Workloads.Conv2dStep step = new Workloads.Conv2dStep(batch, 32, false);
    double ours = Double.POSITIVE_INFINITY;
    double torch = Double.NaN;
    for (int round = 0; round < rounds(); round++) {
      ours = Math.min(ours, Workloads.medianMillis(n(30, 1), n(60, 2), step));
      if (peers != null) {
        torch = best(torch, peers.torchConvMillis(batch, 32, 60));
      }
    }
    timeRow("8. conv2d f64, " + batch + "x1x28x28, 32 3x3 filters, padding 1: forward + backward", ours, torch,
        "PyTorch", 1.5);
  }

  /** Largest |x − y| over largest |x| in an n × n × n product of normal samples, in double or (single) in float. */
  private static double maxRelativeDifference(Gemm x, Gemm y, int n, boolean single) {
    SplittableRandom rng = new SplittableRandom(4);
    double[] a = NDArray.randn(rng, n * n).toArray();
    double[] b = NDArray.randn(rng, n * n).toArray();
    double[] cx = product(x, n, a, b, single);
    double[] cy = product(y, n, a, b, single);
    double worst = 0;
    double scale = 0;
    for (int i = 0; i < cx.length; i++) {
      worst = Math.max(worst, Math.abs(cx[i] - cy[i]));
      scale = Math.max(scale, Math.abs(cx[i]));
    }
    return worst / scale;
  }

  private static double[] product(Gemm g, int n, double[] a, double[] b, boolean single) {
    double[] c = new double[n * n];
    if (!single) {
      g.gemm(false, false, n, n, n, 1, a, 0, n, b, 0, n, 0, c, 0, n);
      return c;
    }
    float[] f = new float[n * n];
    g.sgemm(false, false, n, n, n, 1, Workloads.floats(a), 0, n, Workloads.floats(b), 0, n, 0, f, 0, n);
    for (int i = 0; i < f.length; i++) {
      c[i] = f[i];
    }
    return c;
  }

  private void chain() {
    int nodes = n(1_000_000, 10_000);
    long before = usedHeapAfterGc();
    resetPeaks();
    double ms = Workloads.chainBackwardMillis(nodes);
    long peak = peakHeap() - before;
    rows.add(new Row("6a. " + nodes + "-node scalar chain: backward", fmt(ms) + " ms", "", "", "< 1000 ms", ms < 1000));
    rows.add(new Row("6b. same chain: peak heap (build + backward)", mb(peak), "", "", "< 512 MB",
        peak < 512L << 20));
  }

  private void flatHeap() {
    int steps = n(100_000, 200);
    Workloads.MlpStep step = new Workloads.MlpStep(100, 2, 16, 16, 1);
    long early = 0;
    for (int i = 0; i < steps; i++) {
      step.run();
      if (i == steps / 10) {
        early = usedHeapAfterGc();
      }
    }
    long late = usedHeapAfterGc();
    long growth = late - early;
    rows.add(new Row("6c. " + steps + "-step training loop: heap growth", mb(growth), "", "", "flat (< 16 MB)",
        growth < 16L << 20));
  }

  private void parallelism() {
    int max = Threads.get();
    NDArray big = NDArray.randn(new SplittableRandom(1), n(4_000_000, 100_000));
    NDArray small = NDArray.randn(new SplittableRandom(2), 100);
    Runnable bigOp = big::tanh;
    Runnable smallOps = () -> { // 1,000 adds per sample: one add is too short to time alone
      for (int i = 0; i < 1000; i++) {
        small.add(small);
      }
    };
    double[] bigTimes = {Double.MAX_VALUE, Double.MAX_VALUE};
    double[] smallTimes = {Double.MAX_VALUE, Double.MAX_VALUE};
    double coresBusy = 0; // CPU time over wall time while the threaded runs went on: how much of the cores we got
    // small ops first and on their own: right after a big threaded op, the pool's worker and the collector (the big
    // results are 32 MB each) are still busy and would slow whichever setting came next
    for (int round = 0; round < n(8, 1); round++) { // interleave the two settings; keep each one's best
      for (int mode = 0; mode < 2; mode++) {
        Threads.set(mode == 0 ? max : 1);
        smallTimes[mode] = Math.min(smallTimes[mode], Workloads.medianMillis(n(50, 1), n(50, 2), smallOps));
      }
    }
    for (int round = 0; round < n(8, 1); round++) {
      for (int mode = 0; mode < 2; mode++) {
        Threads.set(mode == 0 ? max : 1);
        long cpu = processCpuNanos();
        long wall = System.nanoTime();
        double millis = Workloads.medianMillis(n(5, 1), n(10, 2), bigOp);
        if (mode == 0 && millis < bigTimes[0]) {
          coresBusy = (double) (processCpuNanos() - cpu) / (System.nanoTime() - wall);
        }
        bigTimes[mode] = Math.min(bigTimes[mode], millis);
      }
    }
    Threads.set(max);
    double speedup = bigTimes[1] / bigTimes[0];
    rows.add(new Row("7a. tanh of 4M elements: speed-up on " + max + " threads", fmt(speedup) + "x (the host gave "
        + fmt(coresBusy) + " cores)", "", "", "> 1.5x on 2 cores", max < 2 || speedup > 1.5));
    double overhead = smallTimes[0] / smallTimes[1];
    rows.add(new Row("7b. 100-element add: time with threads / without", fmt(overhead) + "x", "", "",
        "~1.0x (no hand-off)", overhead < 1.3));
  }

  /**
   * Lets the garbage collector finish what the previous workload left: right after the tiny MLP's thousands of small
   * allocations, G1's background threads took one of the two cores for a second or two, and OpenBLAS, which splits a
   * product over both, measured at half speed (28 instead of 60 GFLOP/s) until they were done.
   */
  private void settle() {
    if (smoke) {
      return;
    }
    usedHeapAfterGc();
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** CPU time of the whole process: with wall time, how many cores the host actually gave us. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private void timeRow(String name, double ours, double peer, String peerName, double target) {
    double ratio = ours / peer;
    boolean hasPeer = !Double.isNaN(peer);
    rows.add(new Row(name, fmt(ours) + " ms", hasPeer ? fmt(peer) + " ms (" + peerName + ")" : "-",
        hasPeer ? fmt(ratio) : "-", Double.isNaN(target) ? "" : "ratio <= " + target,
        Double.isNaN(target) || (hasPeer && ratio <= target)));
  }

  private void rateRow(String name, double ours, double peer, double target) {
    double ratio = ours / peer;
    boolean hasPeer = !Double.isNaN(peer);
    rows.add(new Row(name, fmt(ours) + " GFLOP/s", hasPeer ? fmt(peer) + " GFLOP/s (NumPy)" : "-",
        hasPeer ? fmt(ratio) : "-", "ratio >= " + target, hasPeer && ratio >= target));
  }

  private String table(Peers peers, String configuration) {
    StringBuilder sb = new StringBuilder();
    sb.append(configuration).append("\n\n");
    sb.append(String.format(Locale.ROOT, "Machine: %d cores, %s %s, matmul backend: %s%n%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
        System.getProperty("java.version"), Gemms.current().name()));
    sb.append("| workload | ours | peer | ratio | target | met |\n|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", r.workload(), r.ours(), r.peer(),
          r.ratio(), r.target(), r.verdict()));
    }
    if (peers != null && !peers.hasTorch()) {
      sb.append("\nPyTorch not found: ").append(Peers.INSTALL_HINT).append('\n');
    }
    return sb.toString();
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "-" : v >= 100 ? String.format(Locale.ROOT, "%.0f", v)
        : v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.3g", v);
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
  }

  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
