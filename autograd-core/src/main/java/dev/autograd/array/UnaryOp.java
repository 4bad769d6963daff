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
  /** 1 / (1 + e^-x), evaluated so that neither tail overflows. */
  SIGMOID(8) {
    @Override
    void row(double p, double q, double[] a, int ao, int as, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        double x = a[ao + i * as];
        double e = Math.exp(-Math.abs(x));
        out[oo + i] = x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
      }
    }
  },
  /** log(1 + e^x) = max(x, 0) + log1p(e^-|x|): exact in both tails. */
  SOFTPLUS(12) {
    @Override
    void row(double p, double q, double[] a, int ao, int as, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        double x = a[ao + i * as];
        out[oo + i] = Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
      }
    }
  },
  RELU {
    @Override
    void row(double p, double q, double[] a, int ao, int as, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        double x = a[ao + i * as];
        out[oo + i] = x > 0 ? x : 0.0;
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
      if (p == 2.0) {
        for (int i = 0; i < n; i++) {
          double x = a[ao + i * as];
          out[oo + i] = x * x;
        }
        return;
      }
      for (int i = 0; i < n; i++) {
        out[oo + i] = Math.pow(a[ao + i * as], p);
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
