package dev.autograd.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The kernels index all buffers with one offset and {@code rows} stages operands at other offsets, strided or
 * broadcast, through scratch rows (see {@link BinaryOp#rows}): a staged row must equal the same row computed on
 * aligned unit-stride copies, element for element, for every op, both dtypes, offsets that differ in every way,
 * strides 0 to 3, and rows longer than a scratch chunk.
 */
class RowOffsetsTest {
  /** Offsets of a, b and the output; each case has some mismatch, and 0 beside non-zero both ways. */
  private static final int[][] OFFSETS = {{0, 0, 5}, {3, 0, 0}, {0, 7, 0}, {2, 9, 4}, {6, 6, 1}, {1, 1, 1}};
  /** Strides of a and b: unit, broadcast (0) and strided, each with the other unit. */
  private static final int[][] STRIDES = {{1, 1}, {0, 1}, {1, 0}, {2, 1}, {1, 3}, {3, 0}};
  /** Row lengths around the scratch chunk. */
  private static final int[] LENGTHS = {1, 17, RowScratch.CHUNK, RowScratch.CHUNK + 1, 3 * RowScratch.CHUNK + 45};

  @ParameterizedTest
  @EnumSource(BinaryOp.class)
  void binaryRowAtAnyOffsetsEqualsTheAlignedRow(BinaryOp op) {
    SplittableRandom rng = new SplittableRandom(op.ordinal());
    for (boolean single : new boolean[] {false, true}) {
      for (int[] off : OFFSETS) {
        for (int[] st : STRIDES) {
          for (int n : LENGTHS) {
            double[] a = values(rng, 3 * n + 16);
            double[] b = values(rng, 3 * n + 16);
            Object expected = buffer(single, n);
            op.rows(slice(a, off[0], st[0], n, single), 0, 1, slice(b, off[1], st[1], n, single), 0, 1, expected, 0,
                n);
            Object out = buffer(single, n + off[2] + 3);
            op.rows(buffer(a, single), off[0], st[0], buffer(b, single), off[1], st[1], out, off[2], n);
            assertRow(op + " offsets " + Arrays.toString(off) + " strides " + Arrays.toString(st) + " n=" + n,
                expected, out, off[2], n);
          }
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(UnaryOp.class)
  void unaryRowAtAnyOffsetsEqualsTheAlignedRow(UnaryOp op) {
    SplittableRandom rng = new SplittableRandom(100 + op.ordinal());
    for (boolean single : new boolean[] {false, true}) {
      for (int[] off : OFFSETS) {
        for (int[] st : STRIDES) {
          for (int n : LENGTHS) {
            double[] a = values(rng, 3 * n + 16);
            Object expected = buffer(single, n);
            op.rows(0.5, 2.0, slice(a, off[0], st[0], n, single), 0, 1, expected, 0, n);
            Object out = buffer(single, n + off[2] + 3);
            op.rows(0.5, 2.0, buffer(a, single), off[0], st[0], out, off[2], n);
            assertRow(op + " offsets " + Arrays.toString(off) + " stride " + st[0] + " n=" + n, expected, out,
                off[2], n);
          }
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(DType.class)
  void mutableUpdatesReadOperandsThatAreViewsAtAnOffset(DType dtype) {
    SplittableRandom rng = new SplittableRandom(7);
    NDArray big = NDArray.randn(rng, dtype, 3, 700);
    NDArray row = big.slice(0, 1, 2).reshape(700); // offset 700 in its buffer
    NDArray other = big.slice(0, 2, 3).reshape(700);
    MutableArray m = MutableArray.copyOf(NDArray.randn(rng, dtype, 700));
    NDArray start = m.snapshot();
    m.scaleAdd(0.5, 2, row).addProduct(1, 0.25, row, other);
    for (int i = 0; i < 700; i++) { // in the array's own arithmetic, as the update runs
      double expected;
      if (dtype == DType.FLOAT32) {
        float e = 0.5f * (float) start.get(i) + 2f * (float) row.get(i);
        expected = 1f * e + 0.25f * (float) row.get(i) * (float) other.get(i);
      } else {
        double e = 0.5 * start.get(i) + 2 * row.get(i);
        expected = 1 * e + 0.25 * row.get(i) * other.get(i);
      }
      assertEquals(expected, m.view().get(i), 0.0, "element " + i);
    }
  }

  /** Values with the edge cases a kernel can get wrong: zeros of both signs, NaN, infinities, large and tiny. */
  private static double[] values(SplittableRandom rng, int n) {
    double[] specials = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e30, -1e-30};
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = rng.nextInt(8) == 0 ? specials[rng.nextInt(specials.length)] : rng.nextDouble(-4, 4);
    }
    return v;
  }

  private static Object buffer(boolean single, int n) {
    return single ? new float[n] : new double[n];
  }

  private static Object buffer(double[] v, boolean single) {
    if (!single) {
      return v;
    }
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  /** n elements of v from {@code from}, {@code stride} apart, as a fresh unit-stride buffer. */
  private static Object slice(double[] v, int from, int stride, int n, boolean single) {
    double[] picked = new double[n];
    for (int i = 0; i < n; i++) {
      picked[i] = v[from + i * stride];
    }
    return buffer(picked, single);
  }

  private static void assertRow(String what, Object expected, Object out, int oo, int n) {
    Object got = expected instanceof double[] ? new double[n] : new float[n];
    System.arraycopy(out, oo, got, 0, n);
    if (expected instanceof double[] e) {
      assertArrayEquals(e, (double[]) got, what); // exact: NaN equals NaN, and 0.0 differs from -0.0
    } else {
      assertArrayEquals((float[]) expected, (float[]) got, what);
    }
  }
}
