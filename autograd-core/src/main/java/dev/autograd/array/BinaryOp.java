package dev.autograd.array;

/**
 * Elementwise binary kernels. Each constant owns a tight loop over one contiguous row of each operand, so the dispatch
 * happens once per row and the JIT sees a monomorphic, unit-stride body that it vectorises (a loop indexed
 * {@code a[ao + i * as]} stays scalar in C2, whatever {@code as} turns out to be at run time); {@link Elementwise}
 * gathers strided and broadcast operands into contiguous chunks first.
 */
enum BinaryOp {
  ADD {
    @Override
    void row(double[] a, int ao, double[] b, int bo, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i] + b[bo + i];
      }
    }

    @Override
    void rowF(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i] + b[bo + i];
      }
    }
  },
  SUB {
    @Override
    void row(double[] a, int ao, double[] b, int bo, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i] - b[bo + i];
      }
    }

    @Override
    void rowF(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i] - b[bo + i];
      }
    }
  },
  MUL {
    @Override
    void row(double[] a, int ao, double[] b, int bo, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i] * b[bo + i];
      }
    }

    @Override
    void rowF(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i] * b[bo + i];
      }
    }
  },
  DIV {
    @Override
    void row(double[] a, int ao, double[] b, int bo, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i] / b[bo + i];
      }
    }

    @Override
    void rowF(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i] / b[bo + i];
      }
    }
  },
  MAXIMUM {
    @Override
    void row(double[] a, int ao, double[] b, int bo, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = Math.max(a[ao + i], b[bo + i]);
      }
    }

    @Override
    void rowF(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = Math.max(a[ao + i], b[bo + i]);
      }
    }
  },
  MINIMUM {
    @Override
    void row(double[] a, int ao, double[] b, int bo, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = Math.min(a[ao + i], b[bo + i]);
      }
    }

    @Override
    void rowF(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = Math.min(a[ao + i], b[bo + i]);
      }
    }
  },
  POW(8) {
    @Override
    void row(double[] a, int ao, double[] b, int bo, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = Math.pow(a[ao + i], b[bo + i]);
      }
    }
  },
  /** 1.0 where a == b, else 0.0. */
  EQ {
    @Override
    void row(double[] a, int ao, double[] b, int bo, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i] == b[bo + i] ? 1.0 : 0.0;
      }
    }

    @Override
    void rowF(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i] == b[bo + i] ? 1.0f : 0.0f;
      }
    }
  },
  /** 1.0 where a &gt; b, else 0.0. */
  GT {
    @Override
    void row(double[] a, int ao, double[] b, int bo, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = greater(a[ao + i], b[bo + i]);
      }
    }

    @Override
    void rowF(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = greater(a[ao + i], b[bo + i]);
      }
    }
  },
  /** a where b &gt; 0, else a · 0 (so NaN and ±0 follow a · 0, as a multiplication by a 0/1 mask would). */
  MUL_POSITIVE {
    @Override
    void row(double[] a, int ao, double[] b, int bo, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i] * greater(b[bo + i], 0.0);
      }
    }

    @Override
    void rowF(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i] * greater(b[bo + i], 0.0f);
      }
    }
  },
  /** 1.0 where a &gt;= b, else 0.0. */
  GE {
    @Override
    void row(double[] a, int ao, double[] b, int bo, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i] >= b[bo + i] ? 1.0 : 0.0;
      }
    }

    @Override
    void rowF(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i] >= b[bo + i] ? 1.0f : 0.0f;
      }
    }
  };

  /** Relative cost per element, used to decide when an op is worth running in parallel. */
  final int cost;

  BinaryOp() {
    this(1);
  }

  BinaryOp(int cost) {
    this.cost = cost;
  }

  abstract void row(double[] a, int ao, double[] b, int bo, double[] out, int oo, int n);

  /**
   * 1.0 when a &gt; b, else 0.0 (NaN compares false), without a branch: on data such as a layer's pre-activations
   * (ReLU's gradient mask) the comparison's branch is mispredicted half the time, which made the loop eight times
   * slower. b − a is exact in sign (gradual underflow), so a &gt; b exactly when b − a is negative, non-zero and not
   * NaN: its bits, as a signed integer, lie in [sign bit + 1, bits of −∞].
   */
  static double greater(double a, double b) {
    long u = Double.doubleToRawLongBits(b - a) - (Long.MIN_VALUE + 1);
    long outside = ((0x7FEF_FFFF_FFFF_FFFFL - u) | u) >> 63; // −1 when u is not in [0, bits(−∞) − sign bit − 1]
    return Double.longBitsToDouble(0x3FF0_0000_0000_0000L & ~outside);
  }

  /** The float spelling of {@link #greater(double, double)}. */
  static float greater(float a, float b) {
    int u = Float.floatToRawIntBits(b - a) - (Integer.MIN_VALUE + 1);
    int outside = ((0x7F7F_FFFF - u) | u) >> 31;
    return Float.intBitsToFloat(0x3F80_0000 & ~outside);
  }

  /** {@link #row} or {@link #rowF}, as the buffers ({@code double[]} or {@code float[]}, all alike) are. */
  final void rows(Object a, int ao, Object b, int bo, Object out, int oo, int n) {
    if (out instanceof double[] o) {
      row((double[]) a, ao, (double[]) b, bo, o, oo, n);
    } else {
      rowF((float[]) a, ao, (float[]) b, bo, (float[]) out, oo, n);
    }
  }

  /** Elements per chunk of the widening float32 row. */
  private static final int CHUNK = 512;

  /**
   * The float32 row: by default the double loop on widened chunks, each result rounded once (see
   * {@link UnaryOp#rowF}); the arithmetic ops, comparisons and maximum/minimum override it with float loops, whose
   * results are the same since float32 +, −, ×, ÷ are correctly rounded and comparisons exact.
   */
  void rowF(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
    int len = Math.min(n, CHUNK);
    double[] wa = new double[len];
    double[] wb = new double[len];
    double[] wo = new double[len];
    for (int at = 0; at < n; at += CHUNK) {
      int m = Math.min(CHUNK, n - at);
      for (int i = 0; i < m; i++) {
        wa[i] = a[ao + at + i];
        wb[i] = b[bo + at + i];
      }
      row(wa, 0, wb, 0, wo, 0, m);
      for (int i = 0; i < m; i++) {
        out[oo + at + i] = (float) wo[i];
      }
    }
  }
}
