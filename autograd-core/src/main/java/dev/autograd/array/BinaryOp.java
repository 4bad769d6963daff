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
  },
  SUB {
    @Override
    void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n) {
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
  },
  DIV {
    @Override
    void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n) {
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
  },
  MINIMUM {
    @Override
    void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n) {
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
  },
  /** 1.0 where a &gt; b, else 0.0. */
  GT {
    @Override
    void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i * as] > b[bo + i * bs] ? 1.0 : 0.0;
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
}
