package dev.autograd.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the PyTorch and NumPy reference scripts in {@code autograd-bench/peers} and reads their numbers. */
final class Peers {
  static final String INSTALL_HINT = "install the peers with: apt-get install python3-torch libopenblas0 "
      + "(Debian's /usr/bin/python3 then has torch and numpy); or set AUTOGRAD_PYTHON to a python with them";

  private final String torchPython;
  private final String numpyPython;
  private final Path scripts;

  private Peers(String torchPython, String numpyPython, Path scripts) {
    this.torchPython = torchPython;
    this.numpyPython = numpyPython;
    this.scripts = scripts;
  }

  static Peers find() {
    Path scripts = Files.isDirectory(Paths.get("peers")) ? Paths.get("peers") : Paths.get("autograd-bench", "peers");
    String env = System.getenv("AUTOGRAD_PYTHON");
    List<String> candidates = env != null ? List.of(env) : List.of("python3", "/usr/bin/python3", "python");
    return new Peers(firstWith(candidates, "torch"), firstWith(candidates, "numpy"), scripts);
  }

  private static String firstWith(List<String> pythons, String module) {
    for (String p : pythons) {
      if (run(List.of(p, "-c", "import " + module), 60).isPresent()) {
        return p;
      }
    }
    return null;
  }

  boolean hasTorch() {
    return torchPython != null;
  }

  boolean hasNumpy() {
    return numpyPython != null;
  }

  /** Median step time (ms) from torch_mlp.py, or NaN. */
  double torchStepMillis(String sizes, int batch, int steps) {
    return torchStepMillis("float64", sizes, batch, steps);
  }

  /** Median step time (ms) from torch_mlp.py in {@code dtype} ("float32" or "float64"), or NaN. */
  double torchStepMillis(String dtype, String sizes, int batch, int steps) {
    return hasTorch() ? number(script(torchPython, "torch_mlp.py", "--dtype", dtype, "--sizes", sizes, "--batch",
        String.valueOf(batch), "--steps", String.valueOf(steps)), "step_ms=([0-9.]+)") : Double.NaN;
  }

  /** Median step time (ms) from numpy_mlp.py, or NaN. */
  double numpyStepMillis(String sizes, int batch, int steps) {
    return hasNumpy() ? number(script(numpyPython, "numpy_mlp.py", "--dtype", "float64", "--sizes", sizes, "--batch",
        String.valueOf(batch), "--steps", String.valueOf(steps)), "step_ms=([0-9.]+)") : Double.NaN;
  }

  /** Median forward + backward time (ms) of one conv2d layer from torch_conv.py, or NaN. */
  double torchConvMillis(int batch, int filters, int steps) {
    return hasTorch() ? number(script(torchPython, "torch_conv.py", "--dtype", "float64", "--batch",
        String.valueOf(batch), "--filters", String.valueOf(filters), "--steps", String.valueOf(steps)),
        "step_ms=([0-9.]+)") : Double.NaN;
  }

  /** GFLOP/s of NumPy's matmul (its bundled/system BLAS) at size n, float64 and float32; NaN where not measured. */
  record MatmulRates(double float64, double float32) {}

  /** One run of matmul.py, which times both precisions. */
  MatmulRates numpyMatmulGflops(int n) {
    if (!hasNumpy()) {
      return new MatmulRates(Double.NaN, Double.NaN);
    }
    Optional<String> out = script(numpyPython, "matmul.py", String.valueOf(n), "2");
    return new MatmulRates(number(out, "numpy float64 n=\\d+ gflops=([0-9.]+)"),
        number(out, "numpy float32 n=\\d+ gflops=([0-9.]+)"));
  }

  private Optional<String> script(String python, String name, String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of(python, scripts.resolve(name).toString()));
    cmd.addAll(List.of(args));
    return run(cmd, 600);
  }

  private static double number(Optional<String> output, String regex) {
    if (output.isEmpty()) {
      return Double.NaN;
    }
    Matcher m = Pattern.compile(regex).matcher(output.get());
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  private static Optional<String> run(List<String> command, int timeoutSeconds) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return Optional.empty();
      }
      return Optional.of(new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
