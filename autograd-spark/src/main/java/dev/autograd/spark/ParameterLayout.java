package dev.autograd.spark;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.Value;
import dev.autograd.array.NDArray;
import dev.autograd.array.Shapes;
import dev.autograd.nn.Module;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each parameter of a model lives in one flat {@code double[]}: the parameters in
 * {@link Module#namedParameters()} order, each row-major. Parameters and gradients travel between driver and executors
 * in this form (one array instead of a map of tensors). Immutable and serialisable.
 */
public final class ParameterLayout implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String[] names;
  private final int[][] shapes;
  private final int[] offsets;
  private final int size;

  private ParameterLayout(String[] names, int[][] shapes) {
    this.names = names;
    this.shapes = shapes;
    this.offsets = new int[names.length];
    long total = 0;
    for (int i = 0; i < names.length; i++) {
      offsets[i] = (int) total;
      total += Shapes.size(shapes[i]);
      checkArgument(total <= Integer.MAX_VALUE - 8, "ParameterLayout: more than 2^31 parameters (%s so far)", total);
    }
    this.size = (int) total;
  }

  /** The layout of {@code model}'s parameters. */
  public static ParameterLayout of(Module model) {
    Map<String, Value> params = model.namedParameters();
    checkArgument(!params.isEmpty(), "ParameterLayout: %s has no parameters", model.getClass().getSimpleName());
    String[] names = params.keySet().toArray(String[]::new);
    int[][] shapes = new int[names.length][];
    for (int i = 0; i < names.length; i++) {
      shapes[i] = params.get(names[i]).shape().clone();
    }
    return new ParameterLayout(names, shapes);
  }

  /** Total number of scalars, the length of every flat array of this layout. */
  public int size() {
    return size;
  }

  /** Parameter names in layout order. */
  public List<String> names() {
    return List.of(names);
  }

  /**
   * Checks that {@code model} has exactly this layout (names, order and shapes), e.g. that an executor's model built
   * by the factory is the driver's architecture.
   *
   * @throws IllegalArgumentException naming the first difference
   */
  public void checkMatches(Module model) {
    ParameterLayout other = of(model);
    checkArgument(Arrays.equals(names, other.names), "ParameterLayout: the model's parameters are %s, expected %s",
        other.names(), names());
    for (int i = 0; i < names.length; i++) {
      checkArgument(Arrays.equals(shapes[i], other.shapes[i]), "ParameterLayout: '%s' has shape %s, expected %s",
          names[i], Shapes.lazyFormat(other.shapes[i]), Shapes.lazyFormat(shapes[i]));
    }
  }

  /** The model's current parameter values as one flat array. */
  public double[] flatten(Module model) {
    double[] out = new double[size];
    List<Value> params = new ArrayList<>(model.namedParameters().values());
    for (int i = 0; i < names.length; i++) {
      double[] data = params.get(i).data().toArray();
      System.arraycopy(data, 0, out, offsets[i], data.length);
    }
    return out;
  }

  /** Sets the model's parameters from a flat array (see {@link #flatten}); the model must match this layout. */
  public void load(Module model, double[] flat) {
    checkLength(flat);
    Map<String, NDArray> state = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      state.put(names[i], NDArray.fromFlat(Arrays.copyOfRange(flat, offsets[i], offsets[i] + length(i)), shapes[i]));
    }
    model.loadStateDict(state);
  }

  /**
   * Adds the model's parameter gradients to {@code sum} in place; a parameter without a gradient (not reached by
   * backward) adds nothing.
   */
  public void addGradients(Module model, double[] sum) {
    checkLength(sum);
    List<Value> params = new ArrayList<>(model.namedParameters().values());
    for (int i = 0; i < names.length; i++) {
      NDArray g = params.get(i).grad();
      if (g != null) {
        double[] data = g.toArray();
        int o = offsets[i];
        for (int j = 0; j < data.length; j++) {
          sum[o + j] += data[j];
        }
      }
    }
  }

  /** Sets each parameter's gradient to its slice of {@code flat} divided by {@code divisor}. */
  public void setGradients(Module model, double[] flat, double divisor) {
    checkLength(flat);
    List<Value> params = new ArrayList<>(model.namedParameters().values());
    for (int i = 0; i < names.length; i++) {
      double[] g = new double[length(i)];
      for (int j = 0; j < g.length; j++) {
        g[j] = flat[offsets[i] + j] / divisor;
      }
      params.get(i).setGrad(NDArray.fromFlat(g, shapes[i]));
    }
  }

  private int length(int i) {
    return (i + 1 < offsets.length ? offsets[i + 1] : size) - offsets[i];
  }

  private void checkLength(double[] flat) {
    checkArgument(flat.length == size, "ParameterLayout: flat array has %s entries, the layout %s", flat.length, size);
  }
}
