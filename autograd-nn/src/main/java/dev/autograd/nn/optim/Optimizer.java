package dev.autograd.nn.optim;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.Autograd;
import dev.autograd.ModeScope;
import dev.autograd.Value;
import dev.autograd.array.DType;
import dev.autograd.array.MutableArray;
import dev.autograd.array.NDArray;
import dev.autograd.array.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Updates parameters from their gradients. Subclasses give the per-parameter rule, which updates the parameter in
 * place with {@link MutableArray}'s fused kernels (no multi-megabyte allocation per step); this class runs it under
 * {@link Autograd#noGrad()}, skips parameters without a gradient (their step count does not advance, as in PyTorch),
 * and keeps named per-parameter buffers (momentum, moment estimates) that can be saved with {@link #stateDict()} and
 * restored with {@link #loadStateDict(Map)}.
 *
 * <p>Parameters come in {@linkplain ParamGroup parameter groups}, PyTorch's {@code param_groups}: each group has its
 * own learning rate, weight decay and other hyper-parameters; the builder's settings are the defaults of every group
 * and {@link Builder#group} adds a group that overrides some of them. Parameters are updated in place (see
 * {@link Value#mutableData()}): a graph recorded before a step can no longer be differentiated.
 *
 * <p>Per-parameter state lives in its parameter's dtype, as PyTorch's does: the moments of a float32 parameter are
 * float32 (half the memory), a parameter converted with {@code Module.to} takes its state along at the next step,
 * and {@link #loadStateDict} converts saved buffers to their parameter's dtype. The fused updates run in the
 * parameter's dtype, float32 arithmetic for float32 parameters as in PyTorch (see {@link MutableArray}).
 */
public abstract class Optimizer {
  private final List<Value> params;
  private final List<ParamGroup> groups;
  /** Group index of each parameter. */
  private final int[] groupOf;
  private final Map<String, MutableArray[]> buffers = new LinkedHashMap<>();
  private int steps;
  /**
   * Updates applied to each parameter: PyTorch counts steps per parameter, so a parameter that had no gradient for
   * some steps gets the bias correction of its own first step when it finally has one.
   */
  private final int[] parameterSteps;

  /**
   * One group of parameters sharing hyper-parameters (PyTorch's {@code param_groups[i]}). The learning rate can be
   * changed between steps (what schedules do); the other hyper-parameters are fixed when the optimizer is built.
   */
  public static final class ParamGroup {
    private final List<Value> params;
    private final double weightDecay;
    private double lr;

    private ParamGroup(List<Value> params, double lr, double weightDecay) {
      this.params = List.copyOf(params);
      this.lr = lr;
      this.weightDecay = weightDecay;
    }

    public List<Value> parameters() {
      return params;
    }

    public double lr() {
      return lr;
    }

    /** Sets this group's learning rate for later steps. */
    public void setLr(double lr) {
      checkLearningRate(lr);
      this.lr = lr;
    }

    public double weightDecay() {
      return weightDecay;
    }
  }

  /**
   * The options every optimizer's builder has, the parameters, learning rate and weight decay, with setters that
   * return the concrete builder, and {@link #group} for further parameter groups.
   */
  public abstract static class Builder<B extends Builder<B, O>, O extends Optimizer> implements Cloneable {
    private List<Value> params;
    private List<Map.Entry<List<Value>, Consumer<? super B>>> extraGroups = new ArrayList<>();
    protected double lr;
    protected double weightDecay;

    protected Builder(List<Value> params, double defaultLr) {
      this.params = List.copyOf(params);
      this.lr = defaultLr;
    }

    @SuppressWarnings("unchecked")
    protected final B self() {
      return (B) this;
    }

    public final B lr(double lr) {
      this.lr = lr;
      return self();
    }

    /** L2 penalty λ (AdamW: decoupled decay); default 0. */
    public final B weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return self();
    }

    /**
     * Adds a parameter group, as a dict in PyTorch's list of param_groups: its hyper-parameters are this builder's
     * (as they are when {@link #build()} is called) with {@code options} applied, e.g.
     * {@code .group(head.parameters(), g -> g.lr(1e-3).weightDecay(0))}. The builder's own parameters form the first
     * group (omitted when empty); a parameter may belong to one group only.
     */
    public final B group(List<Value> groupParams, Consumer<? super B> options) {
      extraGroups.add(Map.entry(List.copyOf(groupParams), options));
      return self();
    }

    /** The parameters of this builder's group. */
    protected final List<Value> params() {
      return params;
    }

    /** One independent builder per group, its settings that group's hyper-parameters. */
    protected final List<B> groups() {
      List<B> out = new ArrayList<>();
      if (!params.isEmpty()) {
        out.add(copyWith(params));
      }
      for (Map.Entry<List<Value>, Consumer<? super B>> e : extraGroups) {
        B g = copyWith(e.getKey());
        e.getValue().accept(g);
        checkArgument(((Builder<?, ?>) g).extraGroups.isEmpty(), "optimizer: a group cannot add groups of its own");
        out.add(g);
      }
      return out;
    }

    private B copyWith(List<Value> groupParams) {
      try {
        @SuppressWarnings("unchecked")
        B copy = (B) super.clone(); // every option is a primitive: a shallow copy is independent
        Builder<?, ?> b = copy;
        b.params = groupParams;
        b.extraGroups = new ArrayList<>();
        return copy;
      } catch (CloneNotSupportedException e) {
        throw new AssertionError(e);
      }
    }

    public abstract O build();
  }

  /** One group of {@code params} with learning rate {@code learningRate} and no weight decay. */
  protected Optimizer(List<Value> params, double learningRate) {
    this(List.of(new SimpleGroup(params, learningRate)));
  }

  private static final class SimpleGroup extends Builder<SimpleGroup, Optimizer> {
    SimpleGroup(List<Value> params, double lr) {
      super(params, lr);
    }

    @Override
    public Optimizer build() {
      throw new UnsupportedOperationException();
    }
  }

  /** The groups given by the builders of {@link Builder#groups()}. */
  protected Optimizer(List<? extends Builder<?, ?>> groupSpecs) {
    String kind = getClass().getSimpleName();
    List<Value> all = new ArrayList<>();
    List<ParamGroup> gs = new ArrayList<>();
    Set<Value> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Integer> owner = new ArrayList<>();
    for (Builder<?, ?> spec : groupSpecs) {
      checkLearningRate(spec.lr);
      checkHyper(kind, "weight decay", spec.weightDecay, 0, Double.MAX_VALUE);
      checkArgument(!spec.params().isEmpty(), "%s: parameter group %s has no parameters", kind, gs.size());
      for (Value p : spec.params()) {
        checkArgument(seen.add(p), "%s: a parameter of shape %s appears in more than one parameter group", kind,
            Shapes.lazyFormat(p.shape()));
        all.add(p);
        owner.add(gs.size());
      }
      gs.add(new ParamGroup(spec.params(), spec.lr, spec.weightDecay));
    }
    checkArgument(!all.isEmpty(), "%s: no parameters to optimize", kind);
    this.params = all;
    this.groups = List.copyOf(gs);
    this.groupOf = owner.stream().mapToInt(Integer::intValue).toArray();
    this.parameterSteps = new int[all.size()];
  }

  /**
   * Updates parameter {@code index} in place given its (contiguous) gradient. {@code step} counts this parameter's
   * own updates, from 1.
   */
  protected abstract void update(int index, MutableArray param, NDArray grad, int step);

  /** Applies one update to every parameter that has a gradient. */
  public void step() {
    steps++;
    try (ModeScope s = Autograd.noGrad()) {
      for (int i = 0; i < params.size(); i++) {
        Value p = params.get(i);
        if (p.grad() != null) {
          update(i, p.mutableData(), p.grad().contiguous(), ++parameterSteps[i]);
        }
      }
    }
  }

  /**
   * PyTorch's {@code step(closure)}: evaluates {@code closure} (which typically clears the gradients, computes the
   * loss and calls {@code backward()}), then steps; returns the loss the closure returned.
   */
  public Value step(Supplier<Value> closure) {
    Value loss = closure.get();
    step();
    return loss;
  }

  /** Clears every parameter's gradient. */
  public final void zeroGrad() {
    params.forEach(Value::zeroGrad);
  }

  /** The first group's learning rate (the only one unless groups were added). */
  public final double learningRate() {
    return groups.get(0).lr();
  }

  /** Sets the rate of every group for later steps (with several groups, use {@link ParamGroup#setLr}). */
  public final void setLearningRate(double lr) {
    checkLearningRate(lr);
    groups.forEach(g -> g.lr = lr);
  }

  /** The parameter groups, in order. */
  public final List<ParamGroup> paramGroups() {
    return groups;
  }

  /** Number of {@link #step()} calls so far. */
  public final int stepCount() {
    return steps;
  }

  public final List<Value> parameters() {
    return List.copyOf(params);
  }

  /** Index of the group parameter {@code index} belongs to. */
  protected final int groupOf(int index) {
    return groupOf[index];
  }

  /** Learning rate of parameter {@code index}'s group. */
  protected final double lr(int index) {
    return groups.get(groupOf[index]).lr;
  }

  /** Weight decay of parameter {@code index}'s group. */
  protected final double weightDecay(int index) {
    return groups.get(groupOf[index]).weightDecay;
  }

  /** The gradient with L2 weight decay added, g + λ·p (PyTorch's coupled {@code weight_decay}); g itself for λ = 0. */
  protected final NDArray withWeightDecay(int index, MutableArray param, NDArray grad) {
    double wd = weightDecay(index);
    return wd == 0 ? grad : grad.add(param.view().mul(wd));
  }

  /**
   * Buffer {@code name} of parameter {@code index}, in the parameter's dtype, or {@code null} before it is first
   * created. A buffer left in another dtype by a conversion of the parameter ({@code Module.to}) is converted here,
   * as PyTorch casts optimizer state to its parameter's dtype.
   */
  protected final MutableArray buffer(String name, int index) {
    MutableArray[] b = buffers.get(name);
    if (b == null || b[index] == null) {
      return null;
    }
    DType dtype = params.get(index).dtype();
    if (b[index].dtype() != dtype) {
      b[index] = MutableArray.copyOf(b[index].view().to(dtype));
    }
    return b[index];
  }

  /** Buffer {@code name} of parameter {@code index}, created as a copy of {@code initial} (in the parameter's dtype). */
  protected final MutableArray buffer(String name, int index, NDArray initial) {
    MutableArray existing = buffer(name, index);
    if (existing != null) {
      return existing;
    }
    MutableArray created = MutableArray.copyOf(initial.to(params.get(index).dtype()));
    buffers.computeIfAbsent(name, k -> new MutableArray[params.size()])[index] = created;
    return created;
  }

  /** Buffer {@code name} of parameter {@code index}, created filled with {@code fill} (in the parameter's dtype). */
  protected final MutableArray buffer(String name, int index, double fill) {
    MutableArray b = buffer(name, index);
    Value p = params.get(index);
    return b != null ? b : buffer(name, index, NDArray.full(p.dtype(), fill, p.shape()));
  }

  /** Step count of parameter {@code index} (what {@link #update} was last given for it). */
  protected final int parameterStep(int index) {
    return parameterSteps[index];
  }

  /** Keys of the state that are not per-parameter buffers. */
  private static final String STEP = "step";
  private static final String LR = "lr";
  private static final String GROUP_LR = "groupLr";
  private static final String PARAMETER_STEPS = "parameterSteps";
  private static final String KIND = "optimizer.";

  /**
   * Step count, learning rate (of the first group, and {@code groupLr}: every group's), each parameter's own step
   * count, the optimizer's kind (a key {@code optimizer.<class name>}, so that a state never loads into another kind
   * of optimizer), every buffer, keyed {@code name.index}, and any state of the subclass's own
   * ({@link #saveExtraState}).
   */
  public final Map<String, NDArray> stateDict() {
    Map<String, NDArray> state = new LinkedHashMap<>();
    state.put(STEP, NDArray.scalar(steps));
    state.put(LR, NDArray.scalar(learningRate()));
    state.put(GROUP_LR, NDArray.of(groups.stream().mapToDouble(ParamGroup::lr).toArray()));
    state.put(KIND + getClass().getSimpleName(), NDArray.scalar(1));
    double[] counts = new double[parameterSteps.length];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = parameterSteps[i];
    }
    state.put(PARAMETER_STEPS, NDArray.of(counts));
    buffers.forEach((name, arrays) -> {
      for (int i = 0; i < arrays.length; i++) {
        if (arrays[i] != null) {
          state.put(name + "." + i, buffer(name, i).snapshot()); // in the parameter's current dtype
        }
      }
    });
    saveExtraState(state);
    return state;
  }

  /**
   * Restores a state saved by {@link #stateDict()} of an optimizer of the same kind over parameters of the same
   * shapes (and groups); each buffer is converted to its parameter's dtype. All or nothing: on a state that does not
   * fit, nothing changes.
   *
   * @throws IllegalArgumentException naming the key that does not fit
   */
  public final void loadStateDict(Map<String, NDArray> state) {
    checkArgument(state.containsKey(STEP) && state.containsKey(LR),
        "loadStateDict: the state has no 'step' or 'lr' entry (keys: %s)", state.keySet());
    String kind = getClass().getSimpleName();
    for (String key : state.keySet()) {
      checkArgument(!key.startsWith(KIND) || key.equals(KIND + kind),
          "loadStateDict: this state belongs to %s, not to %s", key.substring(Math.min(key.length(), KIND.length())),
          kind);
    }
    double step = state.get(STEP).item();
    checkArgument(step >= 0 && step == Math.rint(step) && step <= Integer.MAX_VALUE,
        "loadStateDict: 'step' must be a non-negative integer, got %s", step);
    int[] counts = new int[params.size()];
    if (state.containsKey(PARAMETER_STEPS)) {
      double[] saved = state.get(PARAMETER_STEPS).toArray();
      checkArgument(saved.length == counts.length, "loadStateDict: '%s' has %s entries, the optimizer has %s "
          + "parameters", PARAMETER_STEPS, saved.length, counts.length);
      for (int i = 0; i < counts.length; i++) {
        checkArgument(saved[i] >= 0 && saved[i] == Math.rint(saved[i]) && saved[i] <= step,
            "loadStateDict: step count %s of parameter %s is not an integer in [0, %s]", saved[i], i, step);
        counts[i] = (int) saved[i];
      }
    } else { // a state saved before per-parameter counts: every parameter took every step
      Arrays.fill(counts, (int) step);
    }
    double[] lrs = new double[groups.size()];
    if (state.containsKey(GROUP_LR)) {
      double[] saved = state.get(GROUP_LR).toArray();
      checkArgument(saved.length == lrs.length, "loadStateDict: '%s' has %s entries, the optimizer has %s parameter "
          + "groups", GROUP_LR, saved.length, lrs.length);
      System.arraycopy(saved, 0, lrs, 0, lrs.length);
    } else { // a state saved before parameter groups: one rate
      Arrays.fill(lrs, state.get(LR).item());
    }
    for (double lr : lrs) {
      checkLearningRate(lr);
    }
    Set<String> expected = bufferNames();
    Map<String, MutableArray[]> restored = new LinkedHashMap<>();
    Map<String, NDArray> extra = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : state.entrySet()) {
      String key = e.getKey();
      if (key.equals(STEP) || key.equals(LR) || key.equals(GROUP_LR) || key.equals(PARAMETER_STEPS)
          || key.startsWith(KIND)) {
        continue;
      }
      int dot = key.lastIndexOf('.');
      String name = dot > 0 ? key.substring(0, dot) : key;
      if (!expected.contains(name)) {
        extra.put(key, e.getValue());
        continue;
      }
      int index;
      try {
        index = Integer.parseInt(key.substring(dot + 1));
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException("loadStateDict: unexpected key '" + key + "'", ex);
      }
      checkArgument(index >= 0 && index < params.size(), "loadStateDict: '%s' refers to parameter %s, the optimizer "
          + "has %s", key, index, params.size());
      checkArgument(Arrays.equals(e.getValue().shape(), params.get(index).shape()),
          "loadStateDict: '%s' has shape %s, parameter %s has shape %s", key, Shapes.lazyFormat(e.getValue().shape()),
          index, Shapes.lazyFormat(params.get(index).shape()));
      restored.computeIfAbsent(name, k -> new MutableArray[params.size()])[index] =
          MutableArray.copyOf(e.getValue().to(params.get(index).dtype()));
    }
    Runnable commitExtra = loadExtraState(extra);
    buffers.clear(); // everything is checked: from here on nothing can fail half-way
    buffers.putAll(restored);
    steps = (int) step;
    System.arraycopy(counts, 0, parameterSteps, 0, counts.length);
    for (int g = 0; g < lrs.length; g++) {
      groups.get(g).lr = lrs[g];
    }
    commitExtra.run();
  }

  /** Names of the per-parameter buffers this optimizer keeps (what {@link #buffer} is called with). */
  protected abstract Set<String> bufferNames();

  /** Adds state that is not a per-parameter buffer to {@code state} (none by default). */
  protected void saveExtraState(Map<String, NDArray> state) {}

  /**
   * Checks the entries of a saved state that are neither common keys nor buffers and returns the action that
   * installs them, run only once everything is checked. By default there must be none.
   *
   * @throws IllegalArgumentException naming an entry that does not fit
   */
  protected Runnable loadExtraState(Map<String, NDArray> extra) {
    checkArgument(extra.isEmpty(), "loadStateDict: '%s' is no buffer of %s (it keeps %s)",
        extra.isEmpty() ? "" : extra.keySet().iterator().next(), getClass().getSimpleName(),
        bufferNames().isEmpty() ? "none" : bufferNames());
    return () -> {};
  }

  static void checkLearningRate(double lr) {
    checkArgument(lr >= 0 && Double.isFinite(lr), "learning rate must be finite and >= 0, got %s", lr);
  }

  static void checkHyper(String op, String name, double value, double min, double max) {
    checkArgument(value >= min && value <= max, "%s: %s must be in [%s, %s], got %s", op, name, min, max, value);
  }
}
