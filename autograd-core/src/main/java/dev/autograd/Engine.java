package dev.autograd;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import dev.autograd.array.NDArray;
import dev.autograd.array.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reverse-mode accumulation. The graph is put in topological order by an explicit-stack depth-first search (never
 * recursion, so million-node chains are fine); then, from the outputs back, each node's accumulated gradient is fed
 * to its op's rule, and the results are summed into its inputs' pending gradients.
 */
final class Engine {
  private static final AtomicInteger PASS = new AtomicInteger();

  private Engine() {}

  /** {@link Value#backward(NDArray, boolean)}: accumulate into leaves' (and retained) {@code grad()}. */
  static void backward(Value output, NDArray seed, boolean retainGraph) {
    checkState(output.tracksGrad(), "backward: this value (op '%s') does not require a gradient; mark an input "
        + "with requiresGrad() and compute outside noGrad()", output.op());
    checkSeed(output, seed);
    run(List.of(output), List.of(Value.of(seed)), null, retainGraph, false);
  }

  /** {@link Autograd#grad}: gradients of the outputs w.r.t. {@code inputs}, leaving every {@code grad()} alone. */
  static Value[] grad(List<Value> outputs, List<Value> seeds, List<Value> inputs, boolean retainGraph,
      boolean createGraph) {
    for (Value in : inputs) {
      checkArgument(in.tracksGrad(), "grad: input (op '%s', shape %s) does not require a gradient", in.op(),
          Shapes.format(in.shape()));
    }
    return run(outputs, seeds, inputs, retainGraph, createGraph);
  }

  static void checkSeed(Value output, NDArray seed) {
    checkArgument(Arrays.equals(seed.shape(), output.shape()),
        "backward: seed shape %s does not match the output shape %s", Shapes.format(seed.shape()),
        Shapes.format(output.shape()));
    checkArgument(seed.allFinite(), "backward: the seed gradient contains NaN or infinity");
  }

  private static Value[] run(List<Value> outputs, List<Value> seeds, List<Value> inputs, boolean retainGraph,
      boolean createGraph) {
    List<Value> order = topologicalOrder(outputs);
    Map<Value, Integer> inputIndex = new IdentityHashMap<>();
    if (inputs != null) {
      for (int i = 0; i < inputs.size(); i++) {
        inputIndex.putIfAbsent(inputs.get(i), i);
      }
    }
    Value[] result = inputs == null ? null : new Value[inputs.size()];
    GraphMode mode = GraphMode.current();
    boolean previousGrad = mode.gradEnabled;
    boolean detectAnomaly = mode.detectAnomaly;
    mode.gradEnabled = createGraph;
    // rules' intermediate ops are not user code: anomalies are reported per gradient, naming the op whose rule ran
    mode.detectAnomaly = false;
    try {
      for (int i = 0; i < outputs.size(); i++) {
        Value out = outputs.get(i);
        out.pending = out.pending == null ? seeds.get(i) : out.pending.add(seeds.get(i));
      }
      for (int i = order.size() - 1; i >= 0; i--) {
        Value node = order.get(i);
        Value g = node.pending;
        node.pending = null;
        if (g == null) {
          // reached, but every path contributed "no gradient" (e.g. pow(x, 0)): that is a zero gradient
          if (inputs == null && (node.isLeaf() || node.retainsGrad()) && node.grad() == null) {
            node.accumulateGrad(NDArray.zeros(node.shape()));
          }
          continue;
        }
        if (inputs != null) {
          Integer at = inputIndex.get(node);
          if (at != null) {
            result[at] = g;
          }
        } else if (node.isLeaf() || node.retainsGrad()) {
          node.accumulateGrad(g.data());
        }
        propagate(node, g, detectAnomaly);
        if (!retainGraph && !node.isLeaf()) {
          node.release();
        }
      }
    } finally {
      mode.gradEnabled = previousGrad;
      mode.detectAnomaly = detectAnomaly;
      for (Value v : order) {
        v.pending = null;
      }
    }
    if (result != null) {
      for (int i = 0; i < result.length; i++) {
        Value r = result[i] != null ? result[i] : result[inputIndex.get(inputs.get(i))];
        result[i] = r != null ? r : Value.zeros(inputs.get(i).shape());
      }
    }
    return result;
  }

  /** Applies node's rule to g and adds each result, summed back to the parent's shape, to the parent. */
  private static void propagate(Value node, Value g, boolean detectAnomaly) {
    BackwardRule rule = node.rule();
    if (rule == null) {
      return;
    }
    if (node.inputsChanged()) {
      throw new IllegalStateException("backward: an input of op '" + node.op() + "' was changed in place (by an "
          + "optimizer step or setData) after the op used it, so its gradient would be wrong; call backward "
          + "before updating the parameters, or recompute the forward pass");
    }
    Value[] parents = node.parentArray();
    Value[] local = rule.apply(g, node);
    for (int p = 0; p < parents.length; p++) {
      Value parent = parents[p];
      Value gp = local[p];
      if (gp == null || !parent.tracksGrad()) {
        continue;
      }
      if (!gp.data().sameShape(parent.data())) {
        gp = gp.sumTo(parent.shape());
      }
      if (detectAnomaly && !gp.data().allFinite()) {
        throw new AnomalyException("backward of op '" + node.op() + "' (created at " + node.createdAt()
            + ") produced NaN or infinity in the gradient of its input " + p + " (op '" + parent.op()
            + "', shape " + Shapes.format(parent.shape()) + ")");
      }
      parent.pending = parent.pending == null ? gp : parent.pending.add(gp);
    }
  }

  /**
   * Nodes reachable from the outputs through values that need gradients, each after all of its inputs: a depth-first
   * post-order with an explicit stack of (node, next parent to visit), kept in plain arrays.
   */
  private static List<Value> topologicalOrder(List<Value> outputs) {
    int mark = PASS.incrementAndGet();
    List<Value> order = new ArrayList<>();
    Value[] stack = new Value[64];
    int[] next = new int[64];
    for (Value root : outputs) {
      if (root.visitMark == mark || !root.tracksGrad()) {
        continue;
      }
      root.visitMark = mark;
      int top = 0;
      stack[0] = root;
      next[0] = 0;
      while (top >= 0) {
        Value node = stack[top];
        Value[] parents = node.parentArray();
        int i = next[top];
        if (i == 0) {
          checkNotReleased(node);
        }
        while (i < parents.length && (parents[i].visitMark == mark || !parents[i].tracksGrad())) {
          i++;
        }
        if (i < parents.length) {
          next[top] = i + 1;
          Value child = parents[i];
          child.visitMark = mark;
          if (++top == stack.length) {
            stack = Arrays.copyOf(stack, top * 2);
            next = Arrays.copyOf(next, top * 2);
          }
          stack[top] = child;
          next[top] = 0;
        } else {
          order.add(node);
          stack[top--] = null;
        }
      }
    }
    return order;
  }

  private static void checkNotReleased(Value node) {
    if (node.isReleased()) {
      throw new IllegalStateException("backward: the graph through op '" + node.op() + "' was already "
          + "differentiated and its saved buffers released; pass retainGraph=true to the first backward "
          + "(or Autograd.grad) to differentiate the same graph twice");
    }
  }
}
