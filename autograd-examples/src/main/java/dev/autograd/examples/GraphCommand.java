package dev.autograd.examples;

import dev.autograd.Value;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "graph", mixinStandardHelpOptions = true,
    description = "Writes the computation graph of a small neuron, tanh(x1·w1 + x2·w2 + b), as Graphviz DOT "
        + "(and SVG/PNG when the 'dot' program is installed).")
final class GraphCommand implements Callable<Integer> {
  @Option(names = "--out", defaultValue = "autograd-demo-output", description = "Output folder.")
  Path out;

  /** micrograd's neuron example, after backward, so every node shows its gradient. */
  static Value neuron() {
    Value x1 = Value.scalar(2.0).label("x1");
    Value x2 = Value.scalar(0.0).label("x2");
    Value w1 = Value.scalar(-3.0).requiresGrad(true).label("w1");
    Value w2 = Value.scalar(1.0).requiresGrad(true).label("w2");
    Value b = Value.scalar(6.8813735870195432).requiresGrad(true).label("b");
    Value n = x1.mul(w1).label("x1*w1").add(x2.mul(w2).label("x2*w2")).label("x1w1+x2w2").add(b).label("n");
    Value o = n.tanh().label("o");
    o.backward();
    return o;
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    Value o = neuron();
    Files.createDirectories(out);
    Path dot = out.resolve("graph.dot");
    Files.writeString(dot, o.toDot());
    List<Path> written = new ArrayList<>(List.of(dot));
    for (String format : new String[] {"svg", "png"}) {
      Path target = out.resolve("graph." + format);
      if (render(dot, format, target)) {
        written.add(target);
      }
    }
    if (written.size() == 1) {
      System.out.println("Graphviz 'dot' not found: render with  dot -Tsvg " + dot + " -o graph.svg");
    }
    Console.wrote(written);
    return 0;
  }

  private static boolean render(Path dot, String format, Path target) throws InterruptedException {
    try {
      Process p = new ProcessBuilder("dot", "-T" + format, dot.toString(), "-o", target.toString())
          .redirectErrorStream(true).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false; // dot is not installed
    }
  }
}
