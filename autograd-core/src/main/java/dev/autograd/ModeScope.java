package dev.autograd;

/**
 * A try-with-resources scope that changes a per-thread graph mode and restores the previous setting on close.
 * Scopes are confined to the thread that opened them and may nest; each restores exactly what it found.
 *
 * <pre>{@code
 * try (ModeScope s = Autograd.noGrad()) {
 *   // nothing computed here is recorded for backward
 * }
 * }</pre>
 */
public final class ModeScope implements AutoCloseable {
  private final Thread owner = Thread.currentThread();
  private final GraphMode mode;
  private final boolean previousGrad;
  private final boolean previousAnomaly;
  private boolean closed;

  ModeScope(boolean gradEnabled, boolean detectAnomaly) {
    this.mode = GraphMode.current();
    this.previousGrad = mode.gradEnabled;
    this.previousAnomaly = mode.detectAnomaly;
    mode.gradEnabled = gradEnabled;
    mode.detectAnomaly = detectAnomaly;
  }

  /**
   * Restores the modes in force when this scope was opened.
   *
   * @throws IllegalStateException when called from a thread other than the one that opened the scope
   */
  @Override
  public void close() {
    if (Thread.currentThread() != owner) {
      throw new IllegalStateException("ModeScope: opened on thread '" + owner.getName()
          + "' but closed on '" + Thread.currentThread().getName() + "'; grad modes are per thread");
    }
    if (!closed) {
      closed = true;
      mode.gradEnabled = previousGrad;
      mode.detectAnomaly = previousAnomaly;
    }
  }
}
