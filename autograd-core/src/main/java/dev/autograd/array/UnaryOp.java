package dev.autograd.array;

/**
 * Elementwise unary kernels, one loop per constant (see {@link BinaryOp}). Parameterised ops read their parameters
 * {@code p} and {@code q} (for example the exponent of {@link #POW}, or the bounds of {@link #CLAMP}).
 */
enum UnaryOp {
  NEG {
    @Override
    void row(double p, double q, double[] a, int ao, int as, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = -a[ao + i * as];
      }
    }
  },
  EXP(8) {
    @Override
    void row(double p, double q, double[] a, int ao, int as, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = Math.exp(a[ao + i * as]);
      }
    }
  },
  LOG(8) {
    @Override
    void row(double p, double q, double[] a, int ao, int as, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = Math.log(a[ao + i * as]);
      }
    }
  },
  SQRT(4) {
    @Override
    void row(double p, double q, double[] a, int ao, int as, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = Math.sqrt(a[ao + i * as]);
      }
    }
  },
  ABS {
    @Override
    void row(double p, double q, double[] a, int ao, int as, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = Math.abs(a[ao + i * as]);
      }
    }
  },
  /** -1, 0 or 1 (NaN stays NaN). */
  SIGN {
    @Override
    void row(double p, double q, double[] a, int ao, int as, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = Math.signum(a[ao + i * as]);
      }
    }
  },
  TANH(8) {
    @Override
    void row(double p, double q, double[] a, int ao, int as, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = Math.tanh(a[ao + i * as]);
      }
    }
  },
  /** See {@link ScalarMath#sigmoid}. */
  SIGMOID(8) {
    @Override
    void row(double p, double q, double[] a, int ao, int as, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = ScalarMath.sigmoid(a[ao + i * as]);
      }
    }
  },
  /** See {@link ScalarMath#softplus}. */
  SOFTPLUS(12) {
    @Override
    void row(double p, double q, double[] a, int ao, int as, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = ScalarMath.softplus(a[ao + i * as]);
      }
    }
  },
  /** max(x, 0): NaN stays NaN (as in PyTorch) rather than turning into a silent 0, and -0 becomes 0. */
  RELU {
    @Override
    void row(double p, double q, double[] a, int ao, int as, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = Math.max(a[ao + i * as], 0.0);
      }
    }
  },
  /** x for x &gt; 0, p·x otherwise. */
  LEAKY_RELU {
    @Override
    void row(double p, double q, double[] a, int ao, int as, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        double x = a[ao + i * as];
        out[oo + i] = x > 0 ? x : p * x;
      }
    }
  },
  /** x^p for a constant exponent p. */
  POW(8) {
    @Override
    void row(double p, double q, double[] a, int ao, int as, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = ScalarMath.pow(a[ao + i * as], p);
      }
    }
  },
  /** min(max(x, p), q). */
  CLAMP {
    @Override
    void row(double p, double q, double[] a, int ao, int as, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = Math.min(Math.max(a[ao + i * as], p), q);
      }
    }
  },
  /** p·x + q. */
  AFFINE {
    @Override
    void row(double p, double q, double[] a, int ao, int as, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = p * a[ao + i * as] + q;
      }
    }
  },
  /** Plain copy: used to make a strided view contiguous. */
  COPY {
    @Override
    void row(double p, double q, double[] a, int ao, int as, double[] out, int oo, int n) {
      if (as == 1) {
        System.arraycopy(a, ao, out, oo, n);
        return;
      }
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i * as];
      }
    }
  };

  final int cost;

  UnaryOp() {
    this(1);
  }

  UnaryOp(int cost) {
    this.cost = cost;
  }

  abstract void row(double p, double q, double[] a, int ao, int as, double[] out, int oo, int n);
}
