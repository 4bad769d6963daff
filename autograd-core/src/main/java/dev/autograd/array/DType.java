package dev.autograd.array;

/**
 * Element type of an {@link NDArray}. Only {@link #FLOAT64} exists today; the array keeps its dtype so that a
 * float32 storage can be added behind the same public API (values cross that API as {@code double}).
 */
public enum DType {
  FLOAT64(Double.BYTES);

  private final int bytes;

  DType(int bytes) {
    this.bytes = bytes;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }
}
