package dev.autograd.examples;

import dev.autograd.Value;
import dev.autograd.array.NDArray;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The lecture's 2-3-2 worked example (Scientific Computing, April 24): a linear network on the sample
 * (3, -2) → (1, 4) with loss ½((ŷ−1)² + (ẑ−4)²). Every number printed is computed by the engine.
 */
public final class WorkedExample {
  /** First-layer weights, rows u1..u3 and columns x1, x2: any weights giving u = (7, −22, −3) will do. */
  public final Value w1 = Value.of(new double[][] {{1, -2}, {-4, 5}, {-1, 0}}).requiresGrad(true).label("W1");
  public final Value b1 = Value.of(0, 0, 0).requiresGrad(true).label("b1");
  /** Second-layer weights as on the slides: rows u1..u3, columns ŷ, ẑ. */
  public final Value w2 = Value.of(new double[][] {{2, -2}, {1, -1}, {4, 5}}).requiresGrad(true).label("W2");
  public final Value b2 = Value.of(-1, 5).requiresGrad(true).label("b2");

  public Value hidden;
  public Value prediction;
  public Value loss;

  /** Forward and backward on the slide's sample; afterwards every {@code grad()} holds the slide's numbers. */
  public WorkedExample run() {
    Value x = Value.of(new double[][] {{3, -2}}).label("x");
    Value target = Value.of(new double[][] {{1, 4}}).label("target");
    hidden = x.matmul(w1.transpose()).add(b1).retainGrad().label("u");
    prediction = hidden.matmul(w2).add(b2).retainGrad().label("prediction");
    loss = prediction.sub(target).pow(2).sum().mul(0.5).label("loss");
    loss.backward();
    return this;
  }

  /** Prints the forward values and the gradient table in the slides' layout. */
  public void print(PrintStream out) {
    out.println("The lecture's 2-3-2 network, sample (3, -2) -> (1, 4), loss = 1/2((y-1)^2 + (z-4)^2)");
    out.printf(Locale.ROOT, "  forward:  u = %s   (y-hat, z-hat) = %s   loss = %s%n", row(hidden.data()),
        row(prediction.data()), fmt(loss.item()));
    out.println("  backward (computed by the engine):");
    out.printf(Locale.ROOT, "    dL/d(y-hat, z-hat)        = %s%n", row(prediction.grad()));
    out.printf(Locale.ROOT, "    dL/dW2 (rows u1..u3)      = %s%n", matrix(w2.grad()));
    out.printf(Locale.ROOT, "    dL/db2                    = %s%n", row(b2.grad()));
    out.printf(Locale.ROOT, "    dL/du  = W2 . d-values    = %s%n", row(hidden.grad()));
    out.printf(Locale.ROOT, "    dL/dW1 = d-values . x     = %s%n", matrix(w1.grad()));
    out.printf(Locale.ROOT, "    dL/db1 = d-values         = %s%n", row(b1.grad()));
  }

  static String row(NDArray a) {
    StringBuilder sb = new StringBuilder("(");
    double[] d = a.toArray();
    for (int i = 0; i < d.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(fmt(d[i]));
    }
    return sb.append(')').toString();
  }

  static String matrix(NDArray a) {
    StringBuilder sb = new StringBuilder("[");
    double[][] rows = a.toArray2D();
    for (int r = 0; r < rows.length; r++) {
      sb.append(r == 0 ? "" : ", ").append(row(NDArray.of(rows[r])).replace('(', '[').replace(')', ']'));
    }
    return sb.append(']').toString();
  }

  static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.4f", v);
  }
}
