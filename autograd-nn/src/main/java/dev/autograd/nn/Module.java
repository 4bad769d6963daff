package dev.autograd.nn;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.autograd.Value;
import dev.autograd.array.DType;
import dev.autograd.array.NDArray;
import dev.autograd.array.Shapes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A building block of a network: parameters (leaf values that require gradients), buffers (state that is saved but
 * not trained, such as BatchNorm's running statistics) and child modules, all named, so that every tensor has a
 * hierarchical name such as {@code layers.0.weight} or {@code bn.running_mean}. Subclasses register what they own in
 * their constructor and implement {@link #forward}; the backward pass comes from the core engine.
 *
 * <p>Layers are built in float64; {@link #to(DType) to(DType.FLOAT32)} converts a whole model (PyTorch's
 * {@code model.float()}). Every layer computes in the dtype of its input and parameters, so a float32 model fed
 * float32 inputs computes, and answers, in float32.
 */
public abstract class Module {
  private final Map<String, Value> parameters = new LinkedHashMap<>();
  private final Map<String, Value> buffers = new LinkedHashMap<>();
  private final Map<String, Module> children = new LinkedHashMap<>();
  /** Names of the buffers that hold counts (see {@link #registerCountBuffer}); {@link #to} leaves them as they are. */
  private final Set<String> countBuffers = new HashSet<>();
  private boolean training = true;

  /** Computes the module's output. */
  public abstract Value forward(Value input);

  /** Registers a trainable parameter (marked {@code requiresGrad}) under {@code name}. */
  protected final Value registerParameter(String name, NDArray initial) {
    checkName(name);
    Value p = Value.of(initial).requiresGrad(true).label(name);
    parameters.put(name, p);
    return p;
  }

  /**
   * Registers a buffer (PyTorch's {@code register_buffer}): a tensor of the module's state that is not trained, has no
   * gradient and is saved in {@link #stateDict()}, e.g. {@code running_mean}. The module updates it with
   * {@link Value#setData} (same shape); returns the buffer's value, a leaf that does not require a gradient.
   */
  protected final Value registerBuffer(String name, NDArray initial) {
    checkName(name);
    Value b = Value.of(initial).label(name);
    buffers.put(name, b);
    return b;
  }

  /**
   * Registers a buffer that holds a count, such as BatchNorm's {@code num_batches_tracked} (an integer tensor in
   * PyTorch). It is stored as float64, exact up to 2^53, and stays float64 under {@link #to(DType)} and
   * {@link #loadStateDict}, as {@code model.to(dtype)} leaves PyTorch's integer buffers alone; a float32 count would
   * stop counting at 2^24.
   */
  protected final Value registerCountBuffer(String name, double initial) {
    Value b = registerBuffer(name, NDArray.scalar(initial));
    countBuffers.add(name);
    return b;
  }

  /** Registers a child module under {@code name}; its parameters appear as {@code name.param}. */
  protected final <M extends Module> M registerModule(String name, M module) {
    checkName(name);
    children.put(name, checkNotNull(module, "module %s", name));
    return module;
  }

  private void checkName(String name) {
    checkArgument(name != null && !name.isEmpty() && !name.contains("."),
        "%s: parameter, buffer and module names must be non-empty and contain no '.', got '%s'",
        getClass().getSimpleName(), name);
    checkArgument(!parameters.containsKey(name) && !buffers.containsKey(name) && !children.containsKey(name),
        "%s: the name '%s' is already used", getClass().getSimpleName(), name);
  }

  /** Every parameter of this module and its descendants, by hierarchical name, in registration order. */
  public final Map<String, Value> namedParameters() {
    Map<String, Value> out = new LinkedHashMap<>();
    collect("", out, true, false);
    return Collections.unmodifiableMap(out);
  }

  /** Every buffer of this module and its descendants, by hierarchical name (PyTorch's {@code named_buffers()}). */
  public final Map<String, Value> namedBuffers() {
    Map<String, Value> out = new LinkedHashMap<>();
    collect("", out, false, true);
    return Collections.unmodifiableMap(out);
  }

  /** Parameters then buffers of each module, parents before children: the order of PyTorch's {@code state_dict}. */
  private void collect(String prefix, Map<String, Value> out, boolean params, boolean bufs) {
    if (params) {
      parameters.forEach((n, p) -> out.put(prefix + n, p));
    }
    if (bufs) {
      buffers.forEach((n, b) -> out.put(prefix + n, b));
    }
    children.forEach((n, m) -> m.collect(prefix + n + ".", out, params, bufs));
  }

  /** The trainable parameters, in the order of {@link #namedParameters()}. */
  public final List<Value> parameters() {
    return new ArrayList<>(namedParameters().values());
  }

  /** The buffers, in the order of {@link #namedBuffers()}. */
  public final List<Value> buffers() {
    return new ArrayList<>(namedBuffers().values());
  }

  /** The direct children by name. */
  public final Map<String, Module> children() {
    return Collections.unmodifiableMap(children);
  }

  /** Clears the gradients of every parameter. */
  public final void zeroGrad() {
    for (Value p : parameters()) {
      p.zeroGrad();
    }
  }

  /**
   * Training mode (the default): dropout is active, batch norm normalises with batch statistics and updates its
   * running ones. Applies to all descendants; returns {@code this}, typed as the
   * caller expects, so that {@code MLP net = MLP.builder()...build().train()} compiles (like PyTorch's
   * {@code model.train()} returning the model).
   */
  @SuppressWarnings("unchecked")
  public final <M extends Module> M train() {
    setTraining(true);
    return (M) this;
  }

  /**
   * Evaluation mode: dropout passes inputs through, batch norm uses its running statistics. Applies to all
   * descendants; returns {@code this} as for train.
   */
  @SuppressWarnings("unchecked")
  public final <M extends Module> M eval() {
    setTraining(false);
    return (M) this;
  }

  private void setTraining(boolean on) {
    training = on;
    children.values().forEach(c -> c.setTraining(on));
  }

  public final boolean isTraining() {
    return training;
  }

  /**
   * Converts every parameter and buffer of this module and its descendants to {@code dtype} in place (PyTorch's
   * {@code model.to(dtype)}; count buffers such as {@code num_batches_tracked} stay float64, see
   * {@link #registerCountBuffer}). The parameters remain the same {@link Value} objects, so an optimizer built before
   * keeps updating them (its state follows the parameters' dtype at its next step); accumulated gradients are
   * converted too. Graphs recorded before the conversion can no longer be differentiated. Returns {@code this}, typed
   * as the caller expects: {@code MLP net = MLP.builder()...build().to(DType.FLOAT32)}.
   */
  @SuppressWarnings("unchecked")
  public final <M extends Module> M to(DType dtype) {
    checkNotNull(dtype, "dtype");
    convert(dtype);
    return (M) this;
  }

  private void convert(DType dtype) {
    for (Value p : parameters.values()) {
      convert(p, dtype);
    }
    buffers.forEach((n, b) -> {
      if (!countBuffers.contains(n)) {
        convert(b, dtype);
      }
    });
    children.values().forEach(c -> c.convert(dtype));
  }

  private static void convert(Value v, DType dtype) {
    if (v.dtype() != dtype) {
      NDArray grad = v.grad();
      v.setData(v.data().to(dtype));
      if (grad != null) {
        v.setGrad(grad.to(dtype));
      }
    }
  }

  /**
   * The dtype of the first parameter or buffer in {@link #stateDict()} order (count buffers aside), or float64 for a
   * module without any; after {@link #to(DType)}, the dtype converted to.
   */
  public final DType dtype() {
    for (Map.Entry<String, Value> e : namedState().entrySet()) {
      if (!isCountBuffer(e.getKey())) {
        return e.getValue().dtype();
      }
    }
    return DType.FLOAT64;
  }

  /** Whether the hierarchical name {@code name} is a count buffer of this module or a descendant. */
  private boolean isCountBuffer(String name) {
    int dot = name.indexOf('.');
    if (dot < 0) {
      return countBuffers.contains(name);
    }
    Module child = children.get(name.substring(0, dot));
    return child != null && child.isCountBuffer(name.substring(dot + 1));
  }

  /** Total number of trainable scalars. */
  public final long parameterCount() {
    long n = 0;
    for (Value p : parameters()) {
      n += p.size();
    }
    return n;
  }

  /** Parameters and buffers of this module and its descendants by name, as {@link #stateDict()} lists them. */
  private Map<String, Value> namedState() {
    Map<String, Value> out = new LinkedHashMap<>();
    collect("", out, true, true);
    return out;
  }

  /**
   * A snapshot (copies) of the parameters' and buffers' current data by name, in PyTorch's order (each module's
   * parameters, then its buffers, then its children's); later optimizer steps or forward passes do not change it.
   */
  public final Map<String, NDArray> stateDict() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    namedState().forEach((n, p) -> out.put(n, p.data().copy()));
    return out;
  }

  /**
   * Loads parameter and buffer data by name (PyTorch's {@code load_state_dict} with {@code strict=True}). Names must
   * match exactly (no missing, no unexpected) and shapes must agree; nothing changes unless everything fits. Each
   * parameter and buffer keeps its dtype, the loaded array converted to it (as PyTorch's {@code copy_}): a float64
   * checkpoint loads into a float32 model as float32.
   *
   * @throws IllegalArgumentException listing missing and unexpected names, or the first shape mismatch
   */
  public final void loadStateDict(Map<String, NDArray> state) {
    Map<String, Value> mine = namedState();
    Set<String> missing = new TreeSet<>(mine.keySet());
    missing.removeAll(state.keySet());
    Set<String> unexpected = new TreeSet<>(state.keySet());
    unexpected.removeAll(mine.keySet());
    checkArgument(missing.isEmpty() && unexpected.isEmpty(),
        "loadStateDict: parameter and buffer names differ; missing %s, unexpected %s", missing, unexpected);
    mine.forEach((n, p) -> checkArgument(state.get(n) != null && java.util.Arrays.equals(p.shape(),
        state.get(n).shape()), "loadStateDict: '%s' has shape %s in the model but %s in the state", n,
        Shapes.lazyFormat(p.shape()), state.get(n) == null ? "null" : Shapes.lazyFormat(state.get(n).shape())));
    mine.forEach((n, p) -> p.setData(state.get(n).to(p.dtype())));
  }

  /** One line for this module in {@link #toString()}, e.g. {@code Linear(2 -> 16, bias)}. */
  protected String describe() {
    return getClass().getSimpleName();
  }

  /** A tree of modules with their parameter counts. */
  @Override
  public final String toString() {
    StringBuilder sb = new StringBuilder();
    render(sb, "", "");
    sb.append(String.format(java.util.Locale.ROOT, "Trainable parameters: %,d", parameterCount()));
    return sb.toString();
  }

  private void render(StringBuilder sb, String indent, String name) {
    sb.append(indent).append(name.isEmpty() ? "" : "(" + name + "): ").append(describe());
    long own = 0;
    for (Value p : parameters.values()) {
      own += p.size();
    }
    if (own > 0) {
      sb.append(String.format(java.util.Locale.ROOT, "  [%,d params]", own));
    }
    sb.append('\n');
    children.forEach((n, c) -> c.render(sb, indent + "  ", n));
  }
}
