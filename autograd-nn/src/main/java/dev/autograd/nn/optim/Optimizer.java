package dev.autograd.nn.optim;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.Autograd;
import dev.autograd.ModeScope;
import dev.autograd.Value;
import dev.autograd.array.NDArray;
import dev.autograd.array.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates parameters from their gradients. Subclasses give the per-parameter rule; this class runs it under
 * {@link Autograd#noGrad()}, skips parameters without a gradient, and keeps named per-parameter buffers (momentum,
 * moment estimates) that can be saved with {@link #stateDict()} and restored with {@link #loadStateDict(Map)}.
 */
public abstract class Optimizer {
  private final List<Value> params;
  private final Map<String, NDArray[]> buffers = new LinkedHashMap<>();
  private double learningRate;
  private int steps;

  protected Optimizer(List<Value> params, double learningRate) {
    checkArgument(!params.isEmpty(), "%s: no parameters to optimize", getClass().getSimpleName());
    checkLearningRate(learningRate);
    this.params = new ArrayList<>(params);
    this.learningRate = learningRate;
  }

  /** The new value of parameter {@code index} given its data and gradient; step numbers start at 1. */
  protected abstract NDArray update(int index, NDArray param, NDArray grad, int step);

  /** Applies one update to every parameter that has a gradient. */
  public final void step() {
    steps++;
    try (ModeScope s = Autograd.noGrad()) {
      for (int i = 0; i < params.size(); i++) {
        Value p = params.get(i);
        if (p.grad() != null) {
          p.setData(update(i, p.data(), p.grad(), steps));
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

  /** Buffer {@code name} of parameter {@code index}, or {@code null} before it is first set. */
  protected final NDArray buffer(String name, int index) {
    NDArray[] b = buffers.get(name);
    return b == null ? null : b[index];
  }

  protected final void setBuffer(String name, int index, NDArray value) {
    buffers.computeIfAbsent(name, k -> new NDArray[params.size()])[index] = value;
  }

  /** Step count, learning rate and every buffer, keyed {@code name.index}. */
  public final Map<String, NDArray> stateDict() {
    Map<String, NDArray> state = new LinkedHashMap<>();
    state.put("step", NDArray.scalar(steps));
    state.put("lr", NDArray.scalar(learningRate));
    buffers.forEach((name, arrays) -> {
      for (int i = 0; i < arrays.length; i++) {
        if (arrays[i] != null) {
          state.put(name + "." + i, arrays[i]);
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
    checkArgument(state.containsKey("step") && state.containsKey("lr"),
        "loadStateDict: the state has no 'step' or 'lr' entry (keys: %s)", state.keySet());
    Map<String, NDArray[]> restored = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : state.entrySet()) {
      String key = e.getKey();
      if (key.equals("step") || key.equals("lr")) {
        continue;
      }
      int dot = key.lastIndexOf('.');
      checkArgument(dot > 0, "loadStateDict: unexpected key '%s'", key);
      String name = key.substring(0, dot);
      int index;
      try {
        index = Integer.parseInt(key.substring(dot + 1));
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException("loadStateDict: unexpected key '" + key + "'", ex);
      }
      checkArgument(index >= 0 && index < params.size(), "loadStateDict: '%s' refers to parameter %s, the optimizer "
          + "has %s", key, index, params.size());
      checkArgument(Arrays.equals(e.getValue().shape(), params.get(index).shape()),
          "loadStateDict: '%s' has shape %s, parameter %s has shape %s", key, Shapes.format(e.getValue().shape()),
          index, Shapes.format(params.get(index).shape()));
      restored.computeIfAbsent(name, k -> new NDArray[params.size()])[index] = e.getValue();
    }
    buffers.clear();
    buffers.putAll(restored);
    steps = (int) state.get("step").item();
    setLearningRate(state.get("lr").item());
  }

  private static void checkLearningRate(double lr) {
    checkArgument(lr >= 0 && Double.isFinite(lr), "learning rate must be finite and >= 0, got %s", lr);
  }

  static void checkHyper(String op, String name, double value, double min, double max) {
    checkArgument(value >= min && value <= max, "%s: %s must be in [%s, %s], got %s", op, name, min, max, value);
  }
}
