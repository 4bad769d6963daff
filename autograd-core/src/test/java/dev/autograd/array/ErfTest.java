package dev.autograd.array;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** erf and erfc against reference values (the correctly rounded results of C's libm), to a few ulps. */
class ErfTest {
  private static void close(double expected, double actual) {
    assertEquals(expected, actual, 4 * Math.ulp(expected), () -> "expected " + expected + ", got " + actual);
  }

  @Test
  void erfMatchesReferenceValues() {
    close(0.5204998778130465, ScalarMath.erf(0.5));
    close(0.8427007929497149, ScalarMath.erf(1.0));
    close(0.9953222650189527, ScalarMath.erf(2.0));
    close(-0.9661051464753108, ScalarMath.erf(-1.5));
    close(0.9999992569016276, ScalarMath.erf(3.5));
    assertEquals(0.0, ScalarMath.erf(0.0));
    assertEquals(1.0, ScalarMath.erf(Double.POSITIVE_INFINITY));
    assertTrue(Double.isNaN(ScalarMath.erf(Double.NaN)));
  }

  @Test
  void erfcKeepsItsRelativeAccuracyInTheTail() {
    close(0.4795001221869535, ScalarMath.erfc(0.5));
    close(0.15729920705028513, ScalarMath.erfc(1.0));
    close(0.004677734981047265, ScalarMath.erfc(2.0));
    close(1.9661051464753108, ScalarMath.erfc(-1.5));
    close(7.430983723414128e-07, ScalarMath.erfc(3.5));
    close(1.5374597944280351e-12, ScalarMath.erfc(5.0));
    close(2.088487583762545e-45, ScalarMath.erfc(10.0));
    assertEquals(0.0, ScalarMath.erfc(30.0));
    assertEquals(2.0, ScalarMath.erfc(Double.NEGATIVE_INFINITY));
  }
}
