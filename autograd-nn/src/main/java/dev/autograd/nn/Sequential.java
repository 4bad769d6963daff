package dev.autograd.nn;

import dev.autograd.Value;
import java.util.ArrayList;
import java.util.List;

/** Modules applied in order; child i is named {@code "i"}. */
public final class Sequential extends Module {
  private final List<Module> layers = new ArrayList<>();

  public Sequential(Module... modules) {
    for (Module m : modules) {
      add(m);
    }
  }

  /** Appends a module; returns {@code this}. */
  public Sequential add(Module m) {
    layers.add(registerModule(Integer.toString(layers.size()), m));
    return this;
  }

  public Module get(int i) {
    return layers.get(i);
  }

  public int size() {
    return layers.size();
  }

  @Override
  public Value forward(Value x) {
    Value v = x;
    for (Module m : layers) {
      v = m.forward(v);
    }
    return v;
  }

  @Override
  protected String describe() {
    return "Sequential";
  }
}
