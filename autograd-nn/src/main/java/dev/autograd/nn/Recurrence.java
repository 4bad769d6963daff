package dev.autograd.nn;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.Value;
import dev.autograd.array.NDArray;
import java.util.random.RandomGenerator;

/**
 * The step equations of the recurrent layers, with PyTorch's gate order. {@code xProj} is x·W_ihᵀ + b_ih and
 * {@code hProj} is h·W_hhᵀ + b_hh, both {@code [N, gates·H]}:
 *
 * <ul>
 *   <li>RNN: h' = act(xProj + hProj), act tanh or relu;
 *   <li>GRU, gates (r, z, n): r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r ⊙ h_n), h' = (1 − z) ⊙ n + z ⊙ h;
 *   <li>LSTM, gates (i, f, g, o): c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g), h' = σ(o) ⊙ tanh(c').
 * </ul>
 */
enum Recurrence {
  RNN_TANH(1, 1),
  RNN_RELU(1, 1),
  GRU(3, 1),
  LSTM(4, 2);

  final int gates;
  /** 1 (h) or 2 (h, c). */
  final int states;

  Recurrence(int gates, int states) {
    this.gates = gates;
    this.states = states;
  }

  /** RNN's {@code nonlinearity}: "tanh" or "relu". */
  static Recurrence rnn(String layer, String nonlinearity) {
    checkArgument("tanh".equals(nonlinearity) || "relu".equals(nonlinearity),
        "%s: nonlinearity must be 'tanh' or 'relu', got '%s'", layer, nonlinearity);
    return "tanh".equals(nonlinearity) ? RNN_TANH : RNN_RELU;
  }

  /** The next state from the current one ({@code state[0]} = h, {@code state[1]} = c for LSTM). */
  Value[] step(Value xProj, Value[] state, Value weightHh, Value biasHh) {
    Value h = state[0];
    Value hProj = h.matmulTransposed(weightHh);
    if (biasHh != null) {
      hProj = hProj.add(biasHh);
    }
    int hidden = h.shape()[h.rank() - 1];
    switch (this) {
      case RNN_TANH:
        return new Value[] {xProj.add(hProj).tanh()};
      case RNN_RELU:
        return new Value[] {xProj.add(hProj).relu()};
      case GRU: {
        Value r = gate(xProj, 0, hidden).add(gate(hProj, 0, hidden)).sigmoid();
        Value z = gate(xProj, 1, hidden).add(gate(hProj, 1, hidden)).sigmoid();
        Value n = gate(xProj, 2, hidden).add(r.mul(gate(hProj, 2, hidden))).tanh();
        return new Value[] {n.add(z.mul(h.sub(n)))}; // (1 − z)·n + z·h
      }
      case LSTM: {
        Value all = xProj.add(hProj);
        Value i = gate(all, 0, hidden).sigmoid();
        Value f = gate(all, 1, hidden).sigmoid();
        Value g = gate(all, 2, hidden).tanh();
        Value o = gate(all, 3, hidden).sigmoid();
        Value c = f.mul(state[1]).add(i.mul(g));
        return new Value[] {o.mul(c.tanh()), c};
      }
      default:
        throw new AssertionError(this);
    }
  }

  private static Value gate(Value v, int k, int hidden) {
    return v.slice(v.rank() - 1, k * hidden, (k + 1) * hidden);
  }

  /**
   * Registers {@code weight_ih<suffix>}, {@code weight_hh<suffix>} and (with bias) {@code bias_ih<suffix>},
   * {@code bias_hh<suffix>} on {@code owner}, all U(−1/√H, 1/√H) as PyTorch initialises them; returns the four (biases
   * null without bias).
   */
  Value[] registerWeights(Module owner, String suffix, int inputSize, int hiddenSize, boolean bias,
      RandomGenerator rng) {
    double a = 1.0 / Math.sqrt(hiddenSize);
    int rows = gates * hiddenSize;
    return new Value[] {
      owner.registerParameter("weight_ih" + suffix, NDArray.uniform(rng, -a, a, rows, inputSize)),
      owner.registerParameter("weight_hh" + suffix, NDArray.uniform(rng, -a, a, rows, hiddenSize)),
      bias ? owner.registerParameter("bias_ih" + suffix, NDArray.uniform(rng, -a, a, rows)) : null,
      bias ? owner.registerParameter("bias_hh" + suffix, NDArray.uniform(rng, -a, a, rows)) : null
    };
  }
}
