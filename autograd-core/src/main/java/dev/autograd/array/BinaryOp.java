package dev.autograd.array;

/**
 * Elementwise binary kernels. Each constant owns a tight loop over one contiguous row of each operand, so the dispatch
 * happens once per row and the JIT sees a monomorphic, unit-stride body that it vectorises (a loop indexed
 * {@code a[ao + i * as]} stays scalar in C2, whatever {@code as} turns out to be at run time); {@link Elementwise}
 * hands {@link #rows} the operands with their strides, and {@link #rows} stages what the loop cannot take as it is.
 */
enum BinaryOp {
  ADD {
    @Override
    void row(double[] a, double[] b, double[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = a[o + i] + b[o + i];
      }
    }

    @Override
    void rowF(float[] a, float[] b, float[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = a[o + i] + b[o + i];
      }
    }
  },
  SUB {
    @Override
    void row(double[] a, double[] b, double[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = a[o + i] - b[o + i];
      }
    }

    @Override
    void rowF(float[] a, float[] b, float[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = a[o + i] - b[o + i];
      }
    }
  },
  MUL {
    @Override
    void row(double[] a, double[] b, double[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = a[o + i] * b[o + i];
      }
    }

    @Override
    void rowF(float[] a, float[] b, float[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = a[o + i] * b[o + i];
      }
    }
  },
  DIV {
    @Override
    void row(double[] a, double[] b, double[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = a[o + i] / b[o + i];
      }
    }

    @Override
    void rowF(float[] a, float[] b, float[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = a[o + i] / b[o + i];
      }
    }
  },
  MAXIMUM {
    @Override
    void row(double[] a, double[] b, double[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = Math.max(a[o + i], b[o + i]);
      }
    }

    @Override
    void rowF(float[] a, float[] b, float[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = Math.max(a[o + i], b[o + i]);
      }
    }
  },
  MINIMUM {
    @Override
    void row(double[] a, double[] b, double[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = Math.min(a[o + i], b[o + i]);
      }
    }

    @Override
    void rowF(float[] a, float[] b, float[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = Math.min(a[o + i], b[o + i]);
      }
    }
  },
  POW(8) {
    @Override
    void row(double[] a, double[] b, double[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = Math.pow(a[o + i], b[o + i]);
      }
    }
  },
  /** 1.0 where a == b, else 0.0. */
  EQ {
    @Override
    void row(double[] a, double[] b, double[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = a[o + i] == b[o + i] ? 1.0 : 0.0;
      }
    }

    @Override
    void rowF(float[] a, float[] b, float[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = a[o + i] == b[o + i] ? 1.0f : 0.0f;
      }
    }
  },
  /** 1.0 where a &gt; b, else 0.0. */
  GT {
    @Override
    void row(double[] a, double[] b, double[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = greater(a[o + i], b[o + i]);
      }
    }

    @Override
    void rowF(float[] a, float[] b, float[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = greater(a[o + i], b[o + i]);
      }
    }
  },
  /** a where b &gt; 0, else a · 0 (so NaN and ±0 follow a · 0, as a multiplication by a 0/1 mask would). */
  MUL_POSITIVE {
    @Override
    void row(double[] a, double[] b, double[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = a[o + i] * greater(b[o + i], 0.0);
      }
    }

    @Override
    void rowF(float[] a, float[] b, float[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = a[o + i] * greater(b[o + i], 0.0f);
      }
    }
  },
  /** 1.0 where a &gt;= b, else 0.0. */
  GE {
    @Override
    void row(double[] a, double[] b, double[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = a[o + i] >= b[o + i] ? 1.0 : 0.0;
      }
    }

    @Override
    void rowF(float[] a, float[] b, float[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = a[o + i] >= b[o + i] ? 1.0f : 0.0f;
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

  /** out[o + i] = a[o + i] op b[o + i] for i in [0, n): one offset for all buffers (see {@link #rows}). */
  abstract void row(double[] a, double[] b, double[] out, int o, int n);

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

  /**
   * {@code out[oo + i] = a[ao + i·as] op b[bo + i·bs]} for i in [0, n), with {@link #row} or {@link #rowF} as the
   * buffers ({@code double[]} or {@code float[]}, all alike) are. The kernels take unit-stride rows and index all
   * three buffers with one offset: C2 vectorises a loop only when it can prove that its stores never overwrite a
   * later load, which it can for a shared index but not for {@code a[ao + i]} beside {@code out[oo + i]} (the same
   * array at another offset would overlap), and those loops ran 3 to 10 times slower. Strided and broadcast operands,
   * and rows whose offsets differ, are staged through {@link RowScratch}.
   */
  final void rows(Object a, int ao, int as, Object b, int bo, int bs, Object out, int oo, int n) {
    if (as == 1 && bs == 1 && ao == oo && bo == oo) {
      kernel(a, b, out, oo, n);
      return;
    }
    RowScratch s = RowScratch.get();
    Object so = s.buffer(2, out);
    for (int at = 0; at < n; at += RowScratch.CHUNK) {
      int m = Math.min(RowScratch.CHUNK, n - at);
      kernel(s.stage(0, a, ao + at * as, as, m), s.stage(1, b, bo + at * bs, bs, m), so, 0, m);
      System.arraycopy(so, 0, out, oo + at, m);
    }
  }

  private void kernel(Object a, Object b, Object out, int o, int n) {
    if (out instanceof double[] d) {
      row((double[]) a, (double[]) b, d, o, n);
    } else {
      rowF((float[]) a, (float[]) b, (float[]) out, o, n);
    }
  }

  /**
   * The float32 row: by default the double loop on widened chunks, each result rounded once (see
   * {@link UnaryOp#rowF}); the arithmetic ops, comparisons and maximum/minimum override it with float loops, whose
   * results are the same since float32 +, −, ×, ÷ are correctly rounded and comparisons exact.
   */
  void rowF(float[] a, float[] b, float[] out, int o, int n) {
    RowScratch s = RowScratch.get();
    double[] wa = s.doubles(0);
    double[] wb = s.doubles(1);
    double[] wo = s.doubles(2);
    for (int at = 0; at < n; at += RowScratch.CHUNK) {
      int m = Math.min(RowScratch.CHUNK, n - at);
      for (int i = 0; i < m; i++) {
        wa[i] = a[o + at + i];
        wb[i] = b[o + at + i];
      }
      row(wa, wb, wo, 0, m);
      for (int i = 0; i < m; i++) {
        out[o + at + i] = (float) wo[i];
      }
    }
  }
}
