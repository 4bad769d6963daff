package dev.autograd.array;

/** Conversions between float64 and float32 storage ({@link NDArray#to}). */
final class Conversions {
  private Conversions() {}

  /** {@code d[from .. from+n)} rounded to floats (round to nearest even, as a Java cast does). */
  static float[] toFloats(double[] d, int from, int n) {
    float[] out = new float[n];
    Parallel.forRange(n, n, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        out[i] = (float) d[from + i];
      }
    });
    return out;
  }

  /** {@code f[from .. from+n)} widened to doubles (exact). */
  static double[] toDoubles(float[] f, int from, int n) {
    double[] out = new double[n];
    Parallel.forRange(n, n, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        out[i] = f[from + i];
      }
    });
    return out;
  }

  /** A contiguous copy of {@code x} in the other dtype. */
  static NDArray convert(NDArray x, DType dtype) {
    NDArray c = x.contiguous();
    int[] shape = x.shape();
    return dtype == DType.FLOAT32 ? NDArray.wrap(toFloats(c.buffer(), c.offset(), c.size()), shape)
        : NDArray.wrap(toDoubles(c.floatBuffer(), c.offset(), c.size()), shape);
  }
}
