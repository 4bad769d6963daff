package dev.autograd.nn.optim;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.Autograd;
import dev.autograd.ModeScope;
import dev.autograd.Value;
import dev.autograd.array.MutableArray;
import dev.autograd.array.NDArray;
import dev.autograd.array.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Updates parameters from their gradients. Subclasses give the per-parameter rule, which updates the parameter in
 * place with {@link MutableArray}'s fused kernels (no multi-megabyte allocation per step); this class runs it under
 * {@link Autograd#noGrad()}, skips parameters without a gradient, and keeps named per-parameter buffers (momentum,
 * moment estimates) that can be saved with {@link #stateDict()} and restored with {@link #loadStateDict(Map)}.
 * Parameters are updated in place (see {@link Value#mutableData()}): a graph recorded before a step can no longer be
 * differentiated.
 */
public abstract class Optimizer {
  private final List<Value> params;
  private final Map<String, MutableArray[]> buffers = new LinkedHashMap<>();
  private double learningRate;
  private int steps;
  /**
   * Updates applied to each parameter: PyTorch counts steps per parameter, so a parameter that had no gradient for
   * some steps gets the bias correction of its own first step when it finally has one.
   */
  private final int[] parameterSteps;

  /**
   * The options every optimizer's builder has, the parameters, learning rate and weight decay, with setters that
   * return the concrete builder.
   */
  public abstract static class Builder<B extends Builder<B, O>, O extends Optimizer> {
    protected final List<Value> params;
    protected double lr;
    protected double weightDecay;

    protected Builder(List<Value> params, double defaultLr) {
      this.params = params;
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

    public final B weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return self();
    }

    public abstract O build();
  }

  protected Optimizer(List<Value> params, double learningRate) {
    checkArgument(!params.isEmpty(), "%s: no parameters to optimize", getClass().getSimpleName());
    checkLearningRate(learningRate);
    this.params = new ArrayList<>(params);
    this.learningRate = learningRate;
    this.parameterSteps = new int[params.size()];
  }

  /**
   * Updates parameter {@code index} in place given its (contiguous) gradient. {@code step} counts this parameter's
   * own updates, from 1.
   */
  protected abstract void update(int index, MutableArray param, NDArray grad, int step);

  /** Applies one update to every parameter that has a gradient. */
  public final void step() {
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

  /** Clears every parameter's gradient. */
  public final void zeroGrad() {
    params.forEach(Value::zeroGrad);
  }

  public final double learningRate() {
    return learningRate;
  }

  /** Sets the rate for later steps (what a {@link LrSchedule} drives). */
  public final void setLearningRate(double lr) {
    checkLearningRate(lr);
    this.learningRate = lr;
  }

  /** Number of {@link #step()} calls so far. */
  public final int stepCount() {
    return steps;
  }

  public final List<Value> parameters() {
    return List.copyOf(params);
  }

  /** Buffer {@code name} of parameter {@code index}, or {@code null} before it is first created. */
  protected final MutableArray buffer(String name, int index) {
    MutableArray[] b = buffers.get(name);
    return b == null ? null : b[index];
  }

  /** Buffer {@code name} of parameter {@code index}, created as a copy of {@code initial} the first time. */
  protected final MutableArray buffer(String name, int index, NDArray initial) {
    MutableArray[] b = buffers.computeIfAbsent(name, k -> new MutableArray[params.size()]);
    if (b[index] == null) {
      b[index] = MutableArray.copyOf(initial);
    }
    return b[index];
  }

  /** Keys of the state that are not per-parameter buffers. */
  private static final String STEP = "step";
  private static final String LR = "lr";
  private static final String PARAMETER_STEPS = "parameterSteps";
  private static final String KIND = "optimizer.";

  /**
   * Step count, learning rate, each parameter's own step count, the optimizer's kind (a key
   * {@code optimizer.<class name>}, so that a state never loads into another kind of optimizer) and every buffer,
   * keyed {@code name.index}.
   */
  public final Map<String, NDArray> stateDict() {
    Map<String, NDArray> state = new LinkedHashMap<>();
    state.put(STEP, NDArray.scalar(steps));
    state.put(LR, NDArray.scalar(learningRate));
    state.put(KIND + getClass().getSimpleName(), NDArray.scalar(1));
    double[] counts = new double[parameterSteps.length];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = parameterSteps[i];
    }
    state.put(PARAMETER_STEPS, NDArray.of(counts));
    buffers.forEach((name, arrays) -> {
      for (int i = 0; i < arrays.length; i++) {
        if (arrays[i] != null) {
          state.put(name + "." + i, arrays[i].snapshot());
        }
      }
    });
    return state;
  }

  /**
   * Restores a state saved by {@link #stateDict()} of an optimizer of the same kind over parameters of the same
   * shapes.
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
    Set<String> expected = bufferNames();
    Map<String, MutableArray[]> restored = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : state.entrySet()) {
      String key = e.getKey();
      if (key.equals(STEP) || key.equals(LR) || key.equals(PARAMETER_STEPS) || key.startsWith(KIND)) {
        continue;
      }
      int dot = key.lastIndexOf('.');
      checkArgument(dot > 0, "loadStateDict: unexpected key '%s'", key);
      String name = key.substring(0, dot);
      checkArgument(expected.contains(name), "loadStateDict: '%s' is no buffer of %s (it keeps %s)", key, kind,
          expected.isEmpty() ? "none" : expected);
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
      restored.computeIfAbsent(name, k -> new MutableArray[params.size()])[index] = MutableArray.copyOf(e.getValue());
    }
    double lr = state.get(LR).item();
    checkLearningRate(lr);
    buffers.clear(); // everything is checked: from here on nothing can fail half-way
    buffers.putAll(restored);
    steps = (int) step;
    System.arraycopy(counts, 0, parameterSteps, 0, counts.length);
    learningRate = lr;
  }

  /** Names of the per-parameter buffers this optimizer keeps (what {@link #buffer} is called with). */
  protected abstract Set<String> bufferNames();

  private static void checkLearningRate(double lr) {
    checkArgument(lr >= 0 && Double.isFinite(lr), "learning rate must be finite and >= 0, got %s", lr);
  }

  static void checkHyper(String op, String name, double value, double min, double max) {
    checkArgument(value >= min && value <= max, "%s: %s must be in [%s, %s], got %s", op, name, min, max, value);
  }
}
