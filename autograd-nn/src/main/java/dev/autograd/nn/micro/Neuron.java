package dev.autograd.nn.micro;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * micrograd's neuron, for teaching: one scalar {@link Value} per weight, output relu(Σ wᵢxᵢ + b) or linear. Every
 * multiply and add is its own node, so a learner can follow each gradient by hand (and {@code toDot()} draws them).
 */
public final class Neuron {
  private final List<Value> weights = new ArrayList<>();
  private final Value bias;
  private final boolean nonlinear;

  public Neuron(int inputs, boolean nonlinear, RandomGenerator rng) {
    checkArgument(inputs > 0, "Neuron: needs at least one input, got %s", inputs);
    for (int i = 0; i < inputs; i++) {
      weights.add(Value.scalar(rng.nextDouble(-1, 1)).requiresGrad(true));
    }
    this.bias = Value.scalar(0.0).requiresGrad(true);
    this.nonlinear = nonlinear;
  }

  public Value forward(List<Value> x) {
    checkArgument(x.size() == weights.size(), "Neuron: %s inputs, expected %s", x.size(), weights.size());
    Value act = bias;
    for (int i = 0; i < weights.size(); i++) {
      act = act.add(weights.get(i).mul(x.get(i)));
    }
    return nonlinear ? act.relu() : act;
  }

  public List<Value> parameters() {
    List<Value> ps = new ArrayList<>(weights);
    ps.add(bias);
    return ps;
  }

  @Override
  public String toString() {
    return (nonlinear ? "ReLU" : "Linear") + "Neuron(" + weights.size() + ")";
  }
}
