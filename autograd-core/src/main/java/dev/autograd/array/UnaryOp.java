package dev.autograd.array;

/**
 * Elementwise unary kernels, one loop per constant over a contiguous row (see {@link BinaryOp}). Parameterised ops
 * read their parameters {@code p} and {@code q} (for example the exponent of {@link #POW}, or the bounds of
 * {@link #CLAMP}).
 */
enum UnaryOp {
  NEG {
    @Override
    void row(double p, double q, double[] a, int ao, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = -a[ao + i];
      }
    }

    @Override
    void rowF(double p, double q, float[] a, int ao, float[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = -a[ao + i];
      }
    }
  },
  EXP(8) {
    @Override
    void row(double p, double q, double[] a, int ao, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = Math.exp(a[ao + i]);
      }
    }
  },
  LOG(8) {
    @Override
    void row(double p, double q, double[] a, int ao, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = Math.log(a[ao + i]);
      }
    }
  },
  SQRT(4) {
    @Override
    void row(double p, double q, double[] a, int ao, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = Math.sqrt(a[ao + i]);
      }
    }
  },
  ABS {
    @Override
    void row(double p, double q, double[] a, int ao, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = Math.abs(a[ao + i]);
      }
    }
  },
  /** -1, 0 or 1 (NaN stays NaN). */
  SIGN {
    @Override
    void row(double p, double q, double[] a, int ao, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = Math.signum(a[ao + i]);
      }
    }
  },
  TANH(8) {
    @Override
    void row(double p, double q, double[] a, int ao, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = Math.tanh(a[ao + i]);
      }
    }
  },
  /** See {@link ScalarMath#sigmoid}. */
  SIGMOID(8) {
    @Override
    void row(double p, double q, double[] a, int ao, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = ScalarMath.sigmoid(a[ao + i]);
      }
    }
  },
  /** See {@link ScalarMath#softplus}. */
  SOFTPLUS(12) {
    @Override
    void row(double p, double q, double[] a, int ao, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = ScalarMath.softplus(a[ao + i]);
      }
    }
  },
  /** max(x, 0): NaN stays NaN (as in PyTorch) rather than turning into a silent 0, and -0 becomes 0. */
  RELU {
    @Override
    void row(double p, double q, double[] a, int ao, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = Math.max(a[ao + i], 0.0);
      }
    }

    @Override
    void rowF(double p, double q, float[] a, int ao, float[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = Math.max(a[ao + i], 0.0f);
      }
    }
  },
  /** x for x &gt; 0, p·x otherwise. */
  LEAKY_RELU {
    @Override
    void row(double p, double q, double[] a, int ao, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        double x = a[ao + i];
        out[oo + i] = x > 0 ? x : p * x;
      }
    }
  },
  /** x^p for a constant exponent p. */
  POW(8) {
    @Override
    void row(double p, double q, double[] a, int ao, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = ScalarMath.pow(a[ao + i], p);
      }
    }
  },
  /** min(max(x, p), q). */
  CLAMP {
    @Override
    void row(double p, double q, double[] a, int ao, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = Math.min(Math.max(a[ao + i], p), q);
      }
    }
  },
  /** p·x + q. */
  AFFINE {
    @Override
    void row(double p, double q, double[] a, int ao, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = p * a[ao + i] + q;
      }
    }

    @Override
    void rowF(double p, double q, float[] a, int ao, float[] out, int oo, int n) {
      // float32 arithmetic with the constants rounded to float, as PyTorch does with a Python scalar; the loop stays
      // in floats, so it vectorises
      float pf = (float) p;
      float qf = (float) q;
      for (int i = 0; i < n; i++) {
        out[oo + i] = pf * a[ao + i] + qf;
      }
    }
  },
  /** Plain copy: used to make a strided view contiguous. */
  COPY {
    @Override
    void row(double p, double q, double[] a, int ao, double[] out, int oo, int n) {
      System.arraycopy(a, ao, out, oo, n);
    }

    @Override
    void rowF(double p, double q, float[] a, int ao, float[] out, int oo, int n) {
      System.arraycopy(a, ao, out, oo, n);
    }
  };

  /** {@link #row} or {@link #rowF}, as the buffers ({@code double[]} or {@code float[]}, both alike) are. */
  final void rows(double p, double q, Object a, int ao, Object out, int oo, int n) {
    if (out instanceof double[] o) {
      row(p, q, (double[]) a, ao, o, oo, n);
    } else {
      rowF(p, q, (float[]) a, ao, (float[]) out, oo, n);
    }
  }

  /** Elements per chunk of the widening float32 row (fits L1 with its two double buffers). */
  private static final int CHUNK = 512;

  final int cost;

  UnaryOp() {
    this(1);
  }

  UnaryOp(int cost) {
    this.cost = cost;
  }

  abstract void row(double p, double q, double[] a, int ao, double[] out, int oo, int n);

  /**
   * The float32 row. By default it runs the double loop on widened chunks and rounds each result once, so an op is
   * defined once and its float32 result is the correctly rounded double result (at least as accurate as float32
   * arithmetic); the cheapest ops override it with a float loop, which moves half the bytes.
   */
  void rowF(double p, double q, float[] a, int ao, float[] out, int oo, int n) {
    int len = Math.min(n, CHUNK);
    double[] wa = new double[len];
    double[] wo = new double[len];
    for (int at = 0; at < n; at += CHUNK) {
      int m = Math.min(CHUNK, n - at);
      for (int i = 0; i < m; i++) {
        wa[i] = a[ao + at + i];
      }
      row(p, q, wa, 0, wo, 0, m);
      for (int i = 0; i < m; i++) {
        out[oo + at + i] = (float) wo[i];
      }
    }
  }
}
