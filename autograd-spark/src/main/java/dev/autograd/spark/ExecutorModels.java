package dev.autograd.spark;

import dev.autograd.nn.Module;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Models built by a trainer's factory, kept per executor JVM between steps so that a task does not rebuild (and
 * re-initialise) the network: a model is borrowed by one task thread at a time (autograd graphs are not shared
 * between threads), loaded with the step's broadcast parameters, and returned. Keyed by the trainer's id; the models
 * of the least recently used trainers are dropped beyond a few.
 */
final class ExecutorModels {
  private static final int MAX_TRAINERS = 4;
  private static final int MAX_IDLE_PER_TRAINER = 16;
  private static final Map<String, Deque<Module>> IDLE = new LinkedHashMap<>(8, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Deque<Module>> eldest) {
      return size() > MAX_TRAINERS;
    }
  };

  private ExecutorModels() {}

  /** An idle model of trainer {@code id}, or a new one from {@code factory} checked against {@code layout}. */
  static Module borrow(String id, SerializableSupplier<? extends Module> factory, ParameterLayout layout) {
    synchronized (IDLE) {
      Deque<Module> idle = IDLE.get(id);
      if (idle != null && !idle.isEmpty()) {
        return idle.pop();
      }
    }
    Module m = factory.get();
    layout.checkMatches(m);
    return m;
  }

  /** Returns a model for later tasks of the same trainer in this JVM. */
  static void release(String id, Module model) {
    model.zeroGrad(); // the gradients would otherwise keep a model's worth of memory alive while idle
    synchronized (IDLE) {
      Deque<Module> idle = IDLE.computeIfAbsent(id, k -> new ArrayDeque<>());
      if (idle.size() < MAX_IDLE_PER_TRAINER) {
        idle.push(model);
      }
    }
  }
}
