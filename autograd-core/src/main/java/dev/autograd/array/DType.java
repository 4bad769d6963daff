package dev.autograd.array;

/**
 * The element type of an array: {@link #FLOAT64} (the default, Java's {@code double}) or {@link #FLOAT32} (Java's
 * {@code float}, half the bytes). A float32 array stores a {@code float[]}; kernels that have no float32 loop of
 * their own compute in double precision and round the result once, which is at least as accurate as float32
 * arithmetic.
 *
 * <p>Mixed operations follow PyTorch's promotion: float32 with float64 gives float64, except that a rank-0 operand
 * (a scalar array) does not promote an operand of rank ≥ 1, and a Java {@code double} constant never promotes (so
 * {@code x.mul(0.5)} and {@code x.mul(NDArray.scalar(0.5))} stay float32 for a float32 {@code x} of rank ≥ 1).
 */
public enum DType {
  FLOAT32(4),
  FLOAT64(8);

  private final int bytes;

  DType(int bytes) {
    this.bytes = bytes;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /** PyTorch's name, e.g. {@code "float32"}. */
  @Override
  public String toString() {
    return this == FLOAT32 ? "float32" : "float64";
  }

  /** {@code v} as this dtype would store it: rounded to the nearest float for FLOAT32, unchanged for FLOAT64. */
  public double round(double v) {
    return this == FLOAT32 ? (float) v : v;
  }

  /** The wider of two dtypes (PyTorch's {@code promote_types}). */
  public static DType promote(DType a, DType b) {
    return a == b ? a : FLOAT64;
  }

  /**
   * The dtype of a binary op's result (PyTorch's {@code result_type}): a rank-0 operand yields to one of rank ≥ 1,
   * otherwise the wider dtype wins.
   */
  public static DType resultType(NDArray a, NDArray b) {
    DType da = a.dtype();
    DType db = b.dtype();
    if (da == db) {
      return da;
    }
    if (a.rank() == 0 && b.rank() > 0) {
      return db;
    }
    if (b.rank() == 0 && a.rank() > 0) {
      return da;
    }
    return FLOAT64;
  }
}
