package dev.autograd.nn.io;

/** IEEE 754 binary16 ("half", safetensors' F16) to double, exactly: Java 17 has no Float.float16ToFloat. */
final class HalfFloats {
  private HalfFloats() {}

  static double fromHalf(short bits) {
    int sign = (bits & 0x8000) != 0 ? -1 : 1;
    int exponent = (bits >> 10) & 0x1F;
    int mantissa = bits & 0x3FF;
    if (exponent == 0x1F) {
      return mantissa == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
    }
    if (exponent == 0) { // zero and subnormals: mantissa · 2^−24
      return sign * Math.scalb((double) mantissa, -24);
    }
    return sign * Math.scalb((double) (mantissa | 0x400), exponent - 25);
  }
}
