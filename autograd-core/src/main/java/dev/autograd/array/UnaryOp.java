package dev.autograd.array;

/**
 * Elementwise unary kernels, one loop per constant over a contiguous row (see {@link BinaryOp}). Parameterised ops
 * read their parameters {@code p} and {@code q} (for example the exponent of {@link #POW}, or the bounds of
 * {@link #CLAMP}).
 */
enum UnaryOp {
  NEG {
    @Override
    void row(double p, double q, double[] a, double[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = -a[o + i];
      }
    }

    @Override
    void rowF(double p, double q, float[] a, float[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = -a[o + i];
      }
    }
  },
  EXP(8) {
    @Override
    void row(double p, double q, double[] a, double[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = Math.exp(a[o + i]);
      }
    }
  },
  LOG(8) {
    @Override
    void row(double p, double q, double[] a, double[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = Math.log(a[o + i]);
      }
    }
  },
  SQRT(4) {
    @Override
    void row(double p, double q, double[] a, double[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = Math.sqrt(a[o + i]);
      }
    }
  },
  ABS {
    @Override
    void row(double p, double q, double[] a, double[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = Math.abs(a[o + i]);
      }
    }
  },
  /** -1, 0 or 1 (NaN stays NaN). */
  SIGN {
    @Override
    void row(double p, double q, double[] a, double[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = Math.signum(a[o + i]);
      }
    }
  },
  TANH(8) {
    @Override
    void row(double p, double q, double[] a, double[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = Math.tanh(a[o + i]);
      }
    }
  },
  /** See {@link ScalarMath#sigmoid}. */
  SIGMOID(8) {
    @Override
    void row(double p, double q, double[] a, double[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = ScalarMath.sigmoid(a[o + i]);
      }
    }
  },
  /** See {@link ScalarMath#softplus}. */
  SOFTPLUS(12) {
    @Override
    void row(double p, double q, double[] a, double[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = ScalarMath.softplus(a[o + i]);
      }
    }
  },
  /** max(x, 0): NaN stays NaN (as in PyTorch) rather than turning into a silent 0, and -0 becomes 0. */
  RELU {
    @Override
    void row(double p, double q, double[] a, double[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = Math.max(a[o + i], 0.0);
      }
    }

    @Override
    void rowF(double p, double q, float[] a, float[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = Math.max(a[o + i], 0.0f);
      }
    }
  },
  /** x for x &gt; 0, p·x otherwise. */
  LEAKY_RELU {
    @Override
    void row(double p, double q, double[] a, double[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        double x = a[o + i];
        out[o + i] = x > 0 ? x : p * x;
      }
    }
  },
  /** x^p for a constant exponent p. */
  POW(8) {
    @Override
    void row(double p, double q, double[] a, double[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = ScalarMath.pow(a[o + i], p);
      }
    }
  },
  /** min(max(x, p), q). */
  CLAMP {
    @Override
    void row(double p, double q, double[] a, double[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = Math.min(Math.max(a[o + i], p), q);
      }
    }
  },
  /** p·x + q. */
  AFFINE {
    @Override
    void row(double p, double q, double[] a, double[] out, int o, int n) {
      for (int i = 0; i < n; i++) {
        out[o + i] = p * a[o + i] + q;
      }
    }

    @Override
    void rowF(double p, double q, float[] a, float[] out, int o, int n) {
      // float32 arithmetic with the constants rounded to float, as PyTorch does with a Python scalar; the loop stays
      // in floats, so it vectorises
      float pf = (float) p;
      float qf = (float) q;
      for (int i = 0; i < n; i++) {
        out[o + i] = pf * a[o + i] + qf;
      }
    }
  },
  /** Plain copy: used to make a strided view contiguous. */
  COPY {
    @Override
    void row(double p, double q, double[] a, double[] out, int o, int n) {
      System.arraycopy(a, o, out, o, n);
    }

    @Override
    void rowF(double p, double q, float[] a, float[] out, int o, int n) {
      System.arraycopy(a, o, out, o, n);
    }
  };

  /**
   * {@code out[oo + i] = f(a[ao + i·as])} for i in [0, n), with {@link #row} or {@link #rowF} as the buffers
   * ({@code double[]} or {@code float[]}, both alike) are; a strided operand, or one at another offset than the
   * output, is staged (see {@link BinaryOp#rows}).
   */
  final void rows(double p, double q, Object a, int ao, int as, Object out, int oo, int n) {
    if (as == 1 && ao == oo) {
      kernel(p, q, a, out, oo, n);
      return;
    }
    RowScratch s = RowScratch.get();
    Object so = s.buffer(2, out);
    for (int at = 0; at < n; at += RowScratch.CHUNK) {
      int m = Math.min(RowScratch.CHUNK, n - at);
      kernel(p, q, s.stage(0, a, ao + at * as, as, m), so, 0, m);
      System.arraycopy(so, 0, out, oo + at, m);
    }
  }

  private void kernel(double p, double q, Object a, Object out, int o, int n) {
    if (out instanceof double[] d) {
      row(p, q, (double[]) a, d, o, n);
    } else {
      rowF(p, q, (float[]) a, (float[]) out, o, n);
    }
  }

  final int cost;

  UnaryOp() {
    this(1);
  }

  UnaryOp(int cost) {
    this.cost = cost;
  }

  /** out[o + i] = f(a[o + i]) for i in [0, n): one offset for both buffers (see {@link BinaryOp#rows}). */
  abstract void row(double p, double q, double[] a, double[] out, int o, int n);

  /**
   * The float32 row. By default it runs the double loop on widened chunks and rounds each result once, so an op is
   * defined once and its float32 result is the correctly rounded double result (at least as accurate as float32
   * arithmetic); the cheapest ops override it with a float loop, which moves half the bytes.
   */
  void rowF(double p, double q, float[] a, float[] out, int o, int n) {
    RowScratch s = RowScratch.get();
    double[] wa = s.doubles(0);
    double[] wo = s.doubles(2);
    for (int at = 0; at < n; at += RowScratch.CHUNK) {
      int m = Math.min(RowScratch.CHUNK, n - at);
      for (int i = 0; i < m; i++) {
        wa[i] = a[o + at + i];
      }
      row(p, q, wa, wo, 0, m);
      for (int i = 0; i < m; i++) {
        out[o + at + i] = (float) wo[i];
      }
    }
  }
}
