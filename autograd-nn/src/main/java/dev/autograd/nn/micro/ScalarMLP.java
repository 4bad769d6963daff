package dev.autograd.nn.micro;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** micrograd's MLP: layers of scalar neurons, ReLU everywhere but the last layer. */
public final class ScalarMLP {
  private final List<Layer> layers = new ArrayList<>();

  /** @param sizes input width followed by each layer's width, e.g. 2, 16, 16, 1 */
  public ScalarMLP(RandomGenerator rng, int... sizes) {
    checkArgument(sizes.length >= 2, "ScalarMLP: need at least input and output sizes");
    for (int i = 0; i + 1 < sizes.length; i++) {
      layers.add(new Layer(sizes[i], sizes[i + 1], i + 2 < sizes.length, rng));
    }
  }

  public List<Value> forward(List<Value> x) {
    List<Value> v = x;
    for (Layer l : layers) {
      v = l.forward(v);
    }
    return v;
  }

  /** Convenience for raw inputs. */
  public List<Value> forward(double... x) {
    List<Value> in = new ArrayList<>(x.length);
    for (double d : x) {
      in.add(Value.scalar(d));
    }
    return forward(in);
  }

  public List<Value> parameters() {
    List<Value> ps = new ArrayList<>();
    layers.forEach(l -> ps.addAll(l.parameters()));
    return ps;
  }

  public void zeroGrad() {
    parameters().forEach(Value::zeroGrad);
  }

  @Override
  public String toString() {
    return "ScalarMLP of " + layers.size() + " layers, " + parameters().size() + " parameters";
  }
}
