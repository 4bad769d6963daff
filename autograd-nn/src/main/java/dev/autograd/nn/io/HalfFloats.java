package dev.autograd.nn.io;

/**
 * IEEE 754 binary16 ("half", safetensors' F16) to float, exactly (every half is a float): Java 17 has no
 * Float.float16ToFloat.
 */
final class HalfFloats {
  private HalfFloats() {}

  static float fromHalf(short bits) {
    float sign = (bits & 0x8000) != 0 ? -1 : 1;
    int exponent = (bits >> 10) & 0x1F;
    int mantissa = bits & 0x3FF;
    if (exponent == 0x1F) {
      return mantissa == 0 ? sign * Float.POSITIVE_INFINITY : Float.NaN;
    }
    if (exponent == 0) { // zero (signed) and subnormals: mantissa · 2^−24
      return sign * Math.scalb((float) mantissa, -24);
    }
    return sign * Math.scalb((float) (mantissa | 0x400), exponent - 25);
  }
}
