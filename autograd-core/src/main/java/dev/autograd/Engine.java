package dev.autograd;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import dev.autograd.array.DType;
import dev.autograd.array.NDArray;
import dev.autograd.array.Shapes;
import java.util.ArrayList;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reverse-mode accumulation. Nodes are visited in a topological order (outputs first, each node after every node
 * that consumes it) found iteratively by decreasing creation sequence, so million-node chains need no deep stack;
 * each node's accumulated gradient is fed to its op's rule, and the results are summed into its inputs' pending
 * gradients. Rank-0 pointwise nodes in a first-order pass do the same on plain doubles (see {@link PointwiseOp}).
 */
final class Engine {
  private Engine() {}

  /** {@link Value#backward(NDArray, boolean)}: accumulate into leaves' (and retained) {@code grad()}. */
  static void backward(Value output, NDArray seed, boolean retainGraph) {
    checkState(output.requiresGrad(), "backward: this value (op '%s') does not require a gradient; mark an input "
        + "with requiresGrad(true) and compute outside noGrad()", output.op());
    checkSeed(output, seed);
    run(List.of(output), List.of(Value.of(seed.to(output.dtype()))), null, retainGraph, false);
  }

  /** {@link Autograd#grad}: gradients of the outputs w.r.t. {@code inputs}, leaving every {@code grad()} alone. */
  static Value[] grad(List<Value> outputs, List<Value> seeds, List<Value> inputs, boolean retainGraph,
      boolean createGraph) {
    for (Value in : inputs) {
      checkArgument(in.requiresGrad(), "grad: input (op '%s', shape %s) does not require a gradient", in.op(),
          Shapes.lazyFormat(in.shape()));
    }
    return run(outputs, seeds, inputs, retainGraph, createGraph);
  }

  static void checkSeed(Value output, NDArray seed) {
    checkArgument(Arrays.equals(seed.shape(), output.shape()),
        "backward: seed shape %s does not match the output shape %s", Shapes.lazyFormat(seed.shape()),
        Shapes.lazyFormat(output.shape()));
    checkArgument(seed.allFinite(), "backward: the seed gradient contains NaN or infinity");
  }

  /**
   * Processes nodes in decreasing {@link Value#sequence} order, always taking the latest node reached so far (see
   * {@link Frontier}). Every node's sequence exceeds its inputs', so when a node is taken, every node that consumes
   * it (reachable from the outputs) has been processed: the first unprocessed node on any path from an output has
   * already been reached and outranks everything below it. This is a topological order found in one pass, touching
   * nodes roughly in reverse allocation order.
   */
  private static Value[] run(List<Value> outputs, List<Value> seeds, List<Value> inputs, boolean retainGraph,
      boolean createGraph) {
    GraphMode mode = GraphMode.current();
    boolean previousGrad = mode.gradEnabled;
    boolean detectAnomaly = mode.detectAnomaly;
    mode.gradEnabled = createGraph;
    // rules' intermediate ops are not user code: anomalies are reported per gradient, naming the op whose rule ran
    mode.detectAnomaly = false;
    Pass pass = new Pass(inputs, retainGraph, createGraph, detectAnomaly);
    try {
      pass.seed(outputs, seeds);
      pass.drain();
    } finally {
      mode.gradEnabled = previousGrad;
      mode.detectAnomaly = detectAnomaly;
      pass.frontier.finish();
    }
    return pass.results();
  }

  /**
   * One backward pass: what it was asked for (accumulate into {@code grad()}, or return the gradients of
   * {@code inputs}) and the frontier of nodes reached but not yet processed.
   */
  private static final class Pass {
    final Frontier frontier = new Frontier();
    private final List<Value> inputs;
    private final Map<Value, Integer> inputIndex = new IdentityHashMap<>();
    private final Value[] result;
    private final boolean retainGraph;
    private final boolean createGraph;
    private final boolean detectAnomaly;

    Pass(List<Value> inputs, boolean retainGraph, boolean createGraph, boolean detectAnomaly) {
      this.inputs = inputs;
      this.retainGraph = retainGraph;
      this.createGraph = createGraph;
      this.detectAnomaly = detectAnomaly;
      this.result = inputs == null ? null : new Value[inputs.size()];
      if (inputs != null) {
        for (int i = 0; i < inputs.size(); i++) {
          inputIndex.putIfAbsent(inputs.get(i), i);
        }
      }
    }

    void seed(List<Value> outputs, List<Value> seeds) {
      for (int i = 0; i < outputs.size(); i++) {
        Value out = outputs.get(i);
        if (out.requiresGrad()) {
          frontier.reach(out, true); // first: the value's scratch is ours only once we own it
          out.pending = out.pending == null ? seeds.get(i) : out.pending.add(seeds.get(i));
        }
      }
    }

    /** Processes every reached node, latest first (see {@link Frontier}). */
    void drain() {
      while (!frontier.isEmpty()) {
        Value node = frontier.takeNext();
        if (node.reachedBy != frontier.id) { // another pass claimed it since: its gradient is not ours alone
          throw frontier.concurrentPass(node, node.reachedBy);
        }
        PointwiseOp op = createGraph ? null : scalarLaneOp(node, inputIndex);
        if (op != null) {
          if (node.hasPending()) {
            propagateScalar(node, op, detectAnomaly, frontier);
            release(node);
          }
        } else {
          process(node);
        }
      }
    }

    /** Hands the node's whole gradient to whoever asked for it, then to its inputs through the op's rule. */
    private void process(Value node) {
      Value g = node.takePending();
      if (g == null) {
        // reached, but every path contributed "no gradient" (a custom backward returned null): a zero gradient
        if (inputs == null && (node.isLeaf() || node.retainsGrad()) && node.grad() == null) {
          node.accumulateGrad(NDArray.zeros(node.dtype(), node.shape()));
        }
        return;
      }
      if (inputs != null) {
        Integer at = inputIndex.get(node);
        if (at != null) {
          result[at] = g;
        }
      } else if (node.isLeaf() || node.retainsGrad()) {
        node.accumulateGrad(g.data());
      }
      propagate(node, g, detectAnomaly, frontier);
      release(node);
    }

    private void release(Value node) {
      if (!retainGraph && !node.isLeaf()) {
        node.release();
      }
    }

    /** The gradients of {@code inputs} (zeros for one the outputs do not depend on); null for a backward(). */
    Value[] results() {
      if (result == null) {
        return null;
      }
      for (int i = 0; i < result.length; i++) {
        Value r = result[i] != null ? result[i] : result[inputIndex.get(inputs.get(i))];
        result[i] = r != null ? r : Value.zeros(inputs.get(i).dtype(), inputs.get(i).shape());
      }
      return result;
    }
  }

  /**
   * The op of a node that a first-order pass may run on doubles: a rank-0 pointwise op whose own gradient nobody
   * asked for (not retained, not an input of Autograd.grad); null otherwise.
   */
  private static PointwiseOp scalarLaneOp(Value node, Map<Value, Integer> inputIndex) {
    if (node.rule() instanceof PointwiseOp op && op.hasScalarGrads() && node.rank() == 0 && !node.retainsGrad()
        && (inputIndex.isEmpty() || !inputIndex.containsKey(node)) && allFloat64(node)) {
      return op;
    }
    return null;
  }

  /** Whether a node and its inputs are float64: the scalar lane computes in doubles. */
  private static boolean allFloat64(Value node) {
    if (node.dtype() != DType.FLOAT64) {
      return false;
    }
    for (int p = 0; p < node.parentCount(); p++) {
      if (node.parent(p).dtype() != DType.FLOAT64) {
        return false;
      }
    }
    return true;
  }

  /** Applies node's rule to g and adds each result, summed back to the parent's shape, to the parent. */
  private static void propagate(Value node, Value g, boolean detectAnomaly, Frontier frontier) {
    BackwardRule rule = node.rule();
    if (rule == null) {
      if (node.isReleased()) {
        throw releasedError(node);
      }
      return;
    }
    checkInputsUnchanged(node);
    Value[] parents = node.parentArray();
    Value[] local = rule.apply(g, node);
    for (int p = 0; p < parents.length; p++) {
      Value parent = parents[p];
      Value gp = local[p];
      if (!parent.requiresGrad()) {
        continue;
      }
      frontier.reach(parent);
      if (gp == null) {
        continue;
      }
      if (!gp.sameShape(parent)) {
        gp = gp.sumTo(parent.shape());
      }
      if (gp.dtype() != parent.dtype()) { // an input promoted by its op gets its gradient in its own dtype
        gp = gp.to(parent.dtype());
      }
      if (detectAnomaly && !gp.data().allFinite()) {
        throw nonFiniteGradient(node, p);
      }
      parent.pending = parent.pending == null ? gp : parent.pending.add(gp);
    }
  }

  /**
   * micrograd's loop for a rank-0 pointwise node in a first-order pass: the rule's double spelling, nothing
   * allocated (see {@link PointwiseOp}).
   */
  private static void propagateScalar(Value node, PointwiseOp op, boolean detectAnomaly, Frontier frontier) {
    checkInputsUnchanged(node);
    double g = node.takePendingScalar();
    int inputs = node.parentCount();
    double out = node.scalar();
    double x = node.parent(0).scalar();
    double y = inputs > 1 ? node.parent(1).scalar() : 0.0;
    for (int p = 0; p < inputs; p++) {
      Value parent = node.parent(p);
      if (!parent.requiresGrad()) {
        continue;
      }
      frontier.reach(parent);
      double gp = op.scalarGrad(p, g, out, x, y);
      if (detectAnomaly && !Double.isFinite(gp)) {
        throw nonFiniteGradient(node, p);
      }
      parent.addPendingScalar(gp);
    }
  }

  private static void checkInputsUnchanged(Value node) {
    if (node.inputsChanged()) {
      throw new IllegalStateException("backward: an input of op '" + node.op() + "' was changed in place (by an "
          + "optimizer step or setData) after the op used it, so its gradient would be wrong; call backward "
          + "before updating the parameters, or recompute the forward pass");
    }
  }

  private static AnomalyException nonFiniteGradient(Value node, int input) {
    Value parent = node.parent(input);
    return new AnomalyException("backward of op '" + node.op() + "' (created at " + node.createdAt()
        + ") produced NaN or infinity in the gradient of its input " + input + " (op '" + parent.op()
        + "', shape " + Shapes.format(parent.shape()) + ")");
  }

  private static IllegalStateException releasedError(Value node) {
    return new IllegalStateException("backward: the graph through op '" + node.op() + "' was already "
        + "differentiated and its saved buffers released; pass retainGraph=true to the first backward "
        + "(or Autograd.grad) to differentiate the same graph twice");
  }

  /**
   * The nodes reached but not yet processed, each entered once per pass, taken in decreasing sequence. Most inputs
   * were created shortly before the node that uses them, so nodes within {@link #WINDOW} of the node being processed
   * go into a ring indexed by sequence, with a bitmap to find the latest: constant time per node. Older nodes go into
   * a binary max-heap, and leaves, which feed nothing further, into a list drained last (in a network the weights are
   * most of the nodes reached early).
   *
   * <p>A pass owns the values it reaches until it finishes: their pending gradients are its scratch. Leaves and the
   * outputs it starts from are taken over with a compare-and-set of the pass's id on {@link GraphNode#reachedBy}, so a
   * second pass that reaches one while another pass owns it (two threads differentiating graphs that share a
   * parameter, or the same graph) fails with a clear error instead of mixing their gradients; other nodes are claimed
   * with plain writes and checked again when processed. Ids are drawn from a 64-bit counter, which does not wrap in practice (a
   * billion passes a second would take 292 years); a primitive field also spares every claim the garbage
   * collector's write barrier that a reference would cost.
   */
  private static final class Frontier {
    private static final int WINDOW = 1 << 12;
    private static final int MASK = WINDOW - 1;
    private static final VarHandle REACHED_BY;
    private static final AtomicLong IDS = new AtomicLong();
    /** The passes running now, by id, with their threads (for the error message). */
    private static final Map<Long, Thread> ACTIVE = new ConcurrentHashMap<>();

    static {
      try {
        REACHED_BY = MethodHandles.privateLookupIn(Value.class, MethodHandles.lookup())
            .findVarHandle(Value.class, "reachedBy", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    /** Never 0, the mark of a value no pass has reached. Removed from ACTIVE when the pass ends, normally or not. */
    final long id = IDS.incrementAndGet();
    private Value[] ring = new Value[WINDOW];
    private long[] occupied = new long[WINDOW / 64];
    private int ringCount;
    /**
     * At least the sequence of every node in the ring, and at most {@link #current}: where the search for the latest
     * starts. Every ring node lies in (current - WINDOW, current], so the search never wraps onto an alias.
     */
    private long ringTop = Long.MIN_VALUE;
    /** Sequence of the node taken last; every node still waiting is older. */
    private long current = Long.MAX_VALUE;
    private Value[] heap = new Value[16];
    private int size;
    private final List<Value> leaves = new ArrayList<>();
    private int leavesTaken;

    Frontier() {
      ACTIVE.put(id, Thread.currentThread());
    }

    boolean isEmpty() {
      return ringCount == 0 && size == 0 && leavesTaken == leaves.size();
    }

    /** Enters {@code v} unless this pass has already reached it. */
    void reach(Value v) {
      reach(v, v.isLeaf());
    }

    /**
     * Enters {@code v} unless this pass has already reached it. {@code atomically}: claim it with a compare-and-set,
     * so that no other pass can hold it at the same time, for the values passes really share: leaves (parameters)
     * and the outputs a pass starts from. Other nodes are claimed with a plain write (a locked instruction per node
     * measured 15-20 ns on this project's host, 20% of a scalar micrograd step) and checked again when processed.
     */
    void reach(Value v, boolean atomically) {
      long owner = v.reachedBy;
      if (owner == id) {
        return;
      }
      if (owner != 0 && ACTIVE.containsKey(owner)) {
        throw concurrentPass(v, owner);
      }
      if (!atomically) {
        v.reachedBy = id;
      } else if (!REACHED_BY.compareAndSet(v, owner, id)) {
        throw concurrentPass(v, v.reachedBy);
      }
      long seq = v.sequence;
      if (v.isLeaf()) {
        leaves.add(v);
      } else if (seq > current - WINDOW && ring[(int) (seq & MASK)] == null) {
        // every waiting ring node is in (current - WINDOW, current], so a slot is taken only by an equal sequence
        // (a graph mixing threads can hold unrelated nodes with equal numbers): that node waits in the heap instead
        putInRing(v);
        ringTop = Math.max(ringTop, seq);
      } else {
        pushHeap(v);
      }
    }

    /** Removes and returns the op node created last, or once there are none, a leaf. */
    Value takeNext() {
      Value next;
      if (ringCount > 0 && (size == 0 || heap[0].sequence < ringTop)) {
        next = takeRingLatest();
        if (size > 0 && heap[0].sequence > next.sequence) { // ringTop was only a bound: the heap wins after all
          putInRing(next); // ringTop already equals its sequence
          next = popHeap();
        }
      } else if (size > 0) {
        next = popHeap();
      } else {
        return leaves.get(leavesTaken++);
      }
      current = next.sequence;
      // every node still waiting is at most as new as this one (equal only for an unrelated node with the same
      // number, which may wait in the ring while this one came from the heap); without the clamp, a bound left over
      // from a ring node taken long ago would make the search cover more than the ring's window and find an alias
      ringTop = Math.min(ringTop, current);
      return next;
    }

    /** Searches the bitmap downwards from ringTop for the latest node in the ring. */
    private Value takeRingLatest() {
      long seq = ringTop;
      while (true) {
        int slot = (int) (seq & MASK);
        long below = occupied[slot >>> 6] & (-1L >>> (63 - (slot & 63))); // bits at and below slot in its word
        if (below != 0) {
          int bit = 63 - Long.numberOfLeadingZeros(below);
          seq -= (slot & 63) - bit;
          slot = (slot & ~63) | bit;
          Value v = ring[slot];
          ring[slot] = null;
          occupied[slot >>> 6] &= ~(1L << slot);
          ringCount--;
          ringTop = seq;
          return v;
        }
        seq -= (slot & 63) + 1; // top bit of the word below
      }
    }

    private void putInRing(Value v) {
      int slot = (int) (v.sequence & MASK);
      ring[slot] = v;
      occupied[slot >>> 6] |= 1L << slot;
      ringCount++;
    }

    private void pushHeap(Value v) {
      if (size == heap.length) {
        heap = Arrays.copyOf(heap, size * 2);
      }
      int i = size++;
      long key = v.sequence;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (heap[parent].sequence >= key) {
          break;
        }
        heap[i] = heap[parent];
        i = parent;
      }
      heap[i] = v;
    }

    private Value popHeap() {
      Value top = heap[0];
      Value last = heap[--size];
      heap[size] = null;
      if (size > 0) {
        int i = 0;
        long key = last.sequence;
        while (true) {
          int child = 2 * i + 1;
          if (child >= size) {
            break;
          }
          if (child + 1 < size && heap[child + 1].sequence > heap[child].sequence) {
            child++;
          }
          if (heap[child].sequence <= key) {
            break;
          }
          heap[i] = heap[child];
          i = child;
        }
        heap[i] = last;
      }
      return top;
    }

    IllegalStateException concurrentPass(Value v, long owner) {
      Thread thread = ACTIVE.get(owner);
      String other = thread == null ? "" : " on thread '" + thread.getName() + "'";
      return new IllegalStateException("backward: a value (op '" + v.op() + "', shape " + Shapes.format(v.shape())
          + ") is being differentiated by another backward pass" + other + " right now; passes that run at the "
          + "same time must not share values (parameters included). Give each thread its own copy of the "
          + "parameters, or run the passes one after another");
    }

    /**
     * Ends the pass: after a failure no node keeps a half-accumulated gradient (only nodes still waiting can hold one:
     * a node's gradient is taken when it is processed, and a gradient only reaches a node already entered); every
     * value it reached is free for other passes; and the buffers go, since reached values still point here.
     */
    void finish() {
      clearPending();
      ACTIVE.remove(id);
      ring = null;
      occupied = null;
      heap = null;
      leaves.clear();
    }

    private void clearPending() {
      for (Value v : ring) {
        if (v != null) {
          v.clearPending();
        }
      }
      for (int i = 0; i < size; i++) {
        heap[i].clearPending();
      }
      for (int i = leavesTaken; i < leaves.size(); i++) {
        leaves.get(i).clearPending();
      }
    }
  }
}
