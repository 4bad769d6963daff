package dev.autograd.array;

/**
 * Elementwise binary kernels. Each constant owns a tight loop over one row of strided operands, so the dispatch
 * happens once per row and the JIT sees a monomorphic, vectorisable body.
 */
enum BinaryOp {
  ADD {
    @Override
    void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i * as] + b[bo + i * bs];
      }
    }

    @Override
    void rowF(float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i * as] + b[bo + i * bs];
      }
    }
  },
  SUB {
    @Override
    void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i * as] - b[bo + i * bs];
      }
    }

    @Override
    void rowF(float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i * as] - b[bo + i * bs];
      }
    }
  },
  MUL {
    @Override
    void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i * as] * b[bo + i * bs];
      }
    }

    @Override
    void rowF(float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i * as] * b[bo + i * bs];
      }
    }
  },
  DIV {
    @Override
    void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i * as] / b[bo + i * bs];
      }
    }

    @Override
    void rowF(float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i * as] / b[bo + i * bs];
      }
    }
  },
  MAXIMUM {
    @Override
    void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = Math.max(a[ao + i * as], b[bo + i * bs]);
      }
    }

    @Override
    void rowF(float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = Math.max(a[ao + i * as], b[bo + i * bs]);
      }
    }
  },
  MINIMUM {
    @Override
    void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = Math.min(a[ao + i * as], b[bo + i * bs]);
      }
    }

    @Override
    void rowF(float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = Math.min(a[ao + i * as], b[bo + i * bs]);
      }
    }
  },
  POW(8) {
    @Override
    void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = Math.pow(a[ao + i * as], b[bo + i * bs]);
      }
    }
  },
  /** 1.0 where a == b, else 0.0. */
  EQ {
    @Override
    void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i * as] == b[bo + i * bs] ? 1.0 : 0.0;
      }
    }

    @Override
    void rowF(float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i * as] == b[bo + i * bs] ? 1.0f : 0.0f;
      }
    }
  },
  /** 1.0 where a &gt; b, else 0.0. */
  GT {
    @Override
    void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i * as] > b[bo + i * bs] ? 1.0 : 0.0;
      }
    }

    @Override
    void rowF(float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i * as] > b[bo + i * bs] ? 1.0f : 0.0f;
      }
    }
  },
  /** 1.0 where a &gt;= b, else 0.0. */
  GE {
    @Override
    void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i * as] >= b[bo + i * bs] ? 1.0 : 0.0;
      }
    }

    @Override
    void rowF(float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i * as] >= b[bo + i * bs] ? 1.0f : 0.0f;
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

  abstract void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n);

  /** Elements per chunk of the widening float32 row. */
  private static final int CHUNK = 512;

  /**
   * The float32 row: by default the double loop on widened chunks, each result rounded once (see
   * {@link UnaryOp#rowF}); the arithmetic ops, comparisons and maximum/minimum override it with float loops, whose
   * results are the same since float32 +, −, ×, ÷ are correctly rounded and comparisons exact.
   */
  void rowF(float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int oo, int n) {
    int len = Math.min(n, CHUNK);
    double[] wa = new double[len];
    double[] wb = new double[len];
    double[] wo = new double[len];
    for (int at = 0; at < n; at += CHUNK) {
      int m = Math.min(CHUNK, n - at);
      for (int i = 0; i < m; i++) {
        wa[i] = a[ao + (at + i) * as];
        wb[i] = b[bo + (at + i) * bs];
      }
      row(wa, 0, 1, wb, 0, 1, wo, 0, m);
      for (int i = 0; i < m; i++) {
        out[oo + at + i] = (float) wo[i];
      }
    }
  }
}
