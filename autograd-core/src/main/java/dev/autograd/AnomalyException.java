package dev.autograd;

/**
 * Thrown inside {@link Autograd#detectAnomaly()} when an op's forward result or backward gradient contains NaN or
 * infinity. The message names the op, the shape, and the line of user code that created the op.
 */
public final class AnomalyException extends ArithmeticException {
  private static final long serialVersionUID = 1L;

  AnomalyException(String message) {
    super(message);
  }
}
