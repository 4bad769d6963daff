package dev.autograd;

/**
 * The graph side of a {@link Value}: its inputs, the op's backward rule, its place in the backward order, and the
 * scratch state a backward pass keeps on it. {@code Value} adds the data and the public API; {@link Engine} works
 * on this. The fields live on the node itself, not in per-pass maps, because a first-order pass over scalar values
 * touches them once per node and must not allocate (see {@link PointwiseOp}).
 */
abstract class GraphNode {
  private static final Value[] NO_PARENTS = new Value[0];
  private static final BackwardRule RELEASED = (g, out) -> {
    throw new AssertionError("a released rule is never applied");
  };

  /** The inputs. Ops with one or two keep them in fields, so that most nodes need no array; others in the array. */
  private final Value in0;
  private final Value in1;
  private final Value[] moreInputs;
  /** The op's backward rule: null for leaves and constants, {@link #RELEASED} once a backward pass freed it. */
  private BackwardRule rule;
  /**
   * Creation order, greater than every input's, so decreasing sequence is a topological order (see Engine). Drawn
   * from the creating thread's counter ({@link GraphMode#sequenceFrom}), so it is close to allocation order; 0 for
   * leaves and constants, which the engine never orders by it.
   */
  final long sequence;
  /** The sum of the inputs' versions when this op ran: a change means an input was changed in place since. */
  private final int parentVersions;

  // backward-pass scratch: the gradient being accumulated (as a Value, and as a double by the scalar lane) and the
  // id of the pass that reached this node last (see Engine.Frontier#reach: a pass owns the nodes it reaches)
  Value pending;
  double pendingScalar;
  boolean hasPendingScalar;
  long reachedBy;

  GraphNode(GraphMode mode, Value in0, Value in1, Value[] moreInputs, BackwardRule rule) {
    this.in0 = in0;
    this.in1 = in1;
    this.moreInputs = moreInputs;
    this.rule = rule;
    int versions = 0;
    long floor = 0;
    for (int i = 0, n = parentCount(); i < n; i++) { // one pass over the inputs: this runs for every recorded op
      Value p = parent(i);
      versions += p.version();
      floor = Math.max(floor, p.sequence + 1);
    }
    this.parentVersions = versions;
    // only recorded ops are ordered by sequence; leaves wait in their own list and constants are never reached, so
    // they need no number (and creating one costs no thread-local lookup)
    this.sequence = rule == null ? 0 : mode.sequenceFrom(floor);
  }

  /** How often this node's data was changed in place (leaves only; 0 for all others). */
  abstract int version();

  int parentCount() {
    return moreInputs != null ? moreInputs.length : in1 != null ? 2 : in0 != null ? 1 : 0;
  }

  /** Input {@code i} (0 ≤ i &lt; {@link #parentCount()}). */
  Value parent(int i) {
    return moreInputs != null ? moreInputs[i] : i == 0 ? in0 : in1;
  }

  /** The inputs as an array (a new one unless the op has more than two). */
  Value[] parentArray() {
    if (moreInputs != null) {
      return moreInputs;
    }
    return in1 != null ? new Value[] {in0, in1} : in0 != null ? new Value[] {in0} : NO_PARENTS;
  }

  /** The backward rule, or null for leaves, constants and released nodes. */
  BackwardRule rule() {
    return rule == RELEASED ? null : rule;
  }

  boolean isReleased() {
    return rule == RELEASED;
  }

  /** Drops the saved buffers (captured by the rule) after a backward pass that does not retain the graph. */
  void release() {
    rule = RELEASED;
  }

  /** Whether an input was changed in place since this op recorded it (its saved inputs are stale). */
  boolean inputsChanged() {
    int versions = 0;
    for (int i = 0, n = parentCount(); i < n; i++) {
      versions += parent(i).version();
    }
    return versions != parentVersions;
  }

  /** The scalar lane's {@code pending += g}. */
  void addPendingScalar(double g) {
    pendingScalar = hasPendingScalar ? pendingScalar + g : g;
    hasPendingScalar = true;
  }

  boolean hasPending() {
    return pending != null || hasPendingScalar;
  }

  /** Removes and returns the accumulated gradient as a Value ({@code null} if none arrived). */
  Value takePending() {
    Value g = pending;
    if (hasPendingScalar) {
      Value s = Value.scalar(pendingScalar);
      g = g == null ? s : g.add(s);
    }
    clearPending();
    return g;
  }

  /** Removes and returns the accumulated gradient of a rank-0 value as a double. */
  double takePendingScalar() {
    double g = hasPendingScalar ? pendingScalar : 0.0;
    if (pending != null) {
      g = hasPendingScalar ? g + pending.item() : pending.item();
    }
    clearPending();
    return g;
  }

  void clearPending() {
    pending = null;
    hasPendingScalar = false;
  }
}
