package dev.autograd.nn.micro;

import dev.autograd.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** micrograd's layer: independent {@link Neuron}s reading the same inputs. */
public final class Layer {
  private final List<Neuron> neurons = new ArrayList<>();

  public Layer(int inputs, int outputs, boolean nonlinear, RandomGenerator rng) {
    for (int i = 0; i < outputs; i++) {
      neurons.add(new Neuron(inputs, nonlinear, rng));
    }
  }

  public List<Value> forward(List<Value> x) {
    List<Value> out = new ArrayList<>(neurons.size());
    for (Neuron n : neurons) {
      out.add(n.forward(x));
    }
    return out;
  }

  public List<Value> parameters() {
    List<Value> ps = new ArrayList<>();
    neurons.forEach(n -> ps.addAll(n.parameters()));
    return ps;
  }

  @Override
  public String toString() {
    return "Layer of " + neurons;
  }
}
