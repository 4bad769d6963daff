package dev.autograd.array;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;

/**
 * Forward kernels of the matrix decompositions behind {@code dev.autograd.Linalg}, in pure Java, on batches of
 * matrices: an array of shape [..., m, n] is a batch of m × n matrices, solved one after another. Where two operands
 * are taken, their batch axes must already be equal (the caller broadcasts them).
 *
 * <p>Every factorisation is deterministic, so that equal inputs give equal outputs on every host:
 * <ul>
 *   <li>LU: partial pivoting on the largest magnitude (first one on ties); a pivot that is exactly 0 makes the matrix
 *       singular (PyTorch and LAPACK use the same test).
 *   <li>QR: Householder reflections; R has a non-negative diagonal.
 *   <li>eigh: cyclic Jacobi rotations on the lower triangle, eigenvalues ascending; the entry of largest magnitude of
 *       each eigenvector (the first of equal ones) is positive.
 *   <li>SVD: one-sided (Hestenes) Jacobi, singular values descending; the entry of largest magnitude of each column of
 *       U is positive (and the matching row of Vh follows). Columns of U for singular values that are numerically 0
 *       are completed to an orthonormal set.
 * </ul>
 *
 * <p>Matrices that are factorised (A, not a right-hand side B) must be finite: NaN or infinity is rejected with an
 * {@link IllegalArgumentException} naming the op and the batch element. Singular matrices in {@link #solve} and
 * {@link #inv}, and matrices that are not positive-definite in {@link #cholesky}, are rejected the same way.
 */
public final class Decompositions {
  private static final double EPS = Math.ulp(1.0); // 2^-52
  private static final int MAX_SWEEPS = 80;

  private Decompositions() {}

  // ------------------------------------------------------------------ shapes and batches

  /** The batch axes of a stack of matrices (all but the last two). */
  public static int[] batchShape(int[] shape) {
    return Arrays.copyOf(shape, shape.length - 2);
  }

  private static void checkMatrices(String op, NDArray a) {
    checkArgument(a.rank() >= 2, "%s: A must be a matrix or a batch of matrices (rank >= 2), got shape %s", op,
        Shapes.lazyFormat(a.shape()));
  }

  private static void checkSquare(String op, NDArray a) {
    checkMatrices(op, a);
    int[] s = a.shape();
    checkArgument(s[s.length - 1] == s[s.length - 2], "%s: A must be square (or a batch of square matrices), got "
        + "shape %s", op, Shapes.lazyFormat(s));
  }

  private static void checkSameBatch(String op, NDArray a, NDArray b) {
    checkArgument(b.rank() == a.rank() && Arrays.equals(batchShape(a.shape()), batchShape(b.shape()))
        && b.shape()[b.rank() - 2] == a.shape()[a.rank() - 1], "%s: B of shape %s does not match A of shape %s "
        + "(same batch axes and B's rows equal to A's order expected)", op, Shapes.lazyFormat(b.shape()),
        Shapes.lazyFormat(a.shape()));
  }

  /** " (batch element [i, j])" for a batched call, "" for a single matrix. */
  private static String where(int[] batch, int flat) {
    if (batch.length == 0) {
      return "";
    }
    int[] index = new int[batch.length];
    for (int i = batch.length - 1; i >= 0; i--) {
      index[i] = flat % batch[i];
      flat /= batch[i];
    }
    return " (batch element " + Arrays.toString(index) + ")";
  }

  private static void checkFinite(String op, double[] a, int offset, int length, int[] batch, int b) {
    for (int i = offset; i < offset + length; i++) {
      if (!Double.isFinite(a[i])) {
        throw new IllegalArgumentException(op + ": A contains NaN or infinity" + where(batch, b)
            + "; the decomposition needs finite entries");
      }
    }
  }

  private static int[] withLast(int[] shape, int... last) {
    int[] out = Arrays.copyOf(shape, shape.length + last.length);
    System.arraycopy(last, 0, out, shape.length, last.length);
    return out;
  }

  // ------------------------------------------------------------------ LU: solve, inv, det, slogdet

  /**
   * In-place LU factorisation with partial pivoting of the n × n matrix at {@code lu[off..]}: afterwards the strict
   * lower triangle holds L (unit diagonal), the upper triangle U, and row i of PA is row {@code perm[i]} of A.
   *
   * @return the sign of the permutation, or 0 when a pivot is exactly 0 (the matrix is singular)
   */
  private static int luInPlace(double[] lu, int off, int n, int[] perm) {
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    int sign = 1;
    boolean singular = false;
    for (int k = 0; k < n; k++) {
      int p = k;
      double best = Math.abs(lu[off + k * n + k]);
      for (int i = k + 1; i < n; i++) {
        double v = Math.abs(lu[off + i * n + k]);
        if (v > best) {
          best = v;
          p = i;
        }
      }
      if (p != k) {
        for (int j = 0; j < n; j++) {
          double t = lu[off + k * n + j];
          lu[off + k * n + j] = lu[off + p * n + j];
          lu[off + p * n + j] = t;
        }
        int t = perm[k];
        perm[k] = perm[p];
        perm[p] = t;
        sign = -sign;
      }
      double pivot = lu[off + k * n + k];
      if (pivot == 0.0) {
        singular = true; // the column below is all zero: nothing to eliminate
        continue;
      }
      for (int i = k + 1; i < n; i++) {
        double f = lu[off + i * n + k] / pivot;
        lu[off + i * n + k] = f;
        if (f != 0.0) {
          for (int j = k + 1; j < n; j++) {
            lu[off + i * n + j] -= f * lu[off + k * n + j];
          }
        }
      }
    }
    return singular ? 0 : sign;
  }

  /** Solves (LU) X = P B for the n × k right-hand side at {@code b[bOff..]}, writing X to {@code x[xOff..]}. */
  private static void luSolve(double[] lu, int off, int n, int[] perm, double[] b, int bOff, int k, double[] x,
      int xOff) {
    for (int i = 0; i < n; i++) {
      System.arraycopy(b, bOff + perm[i] * k, x, xOff + i * k, k);
    }
    for (int i = 0; i < n; i++) { // forward: L has a unit diagonal
      for (int j = 0; j < i; j++) {
        double l = lu[off + i * n + j];
        if (l != 0.0) {
          for (int c = 0; c < k; c++) {
            x[xOff + i * k + c] -= l * x[xOff + j * k + c];
          }
        }
      }
    }
    for (int i = n - 1; i >= 0; i--) {
      for (int j = i + 1; j < n; j++) {
        double u = lu[off + i * n + j];
        if (u != 0.0) {
          for (int c = 0; c < k; c++) {
            x[xOff + i * k + c] -= u * x[xOff + j * k + c];
          }
        }
      }
      double d = lu[off + i * n + i];
      for (int c = 0; c < k; c++) {
        x[xOff + i * k + c] /= d;
      }
    }
  }

  private static double[] factorAll(String op, NDArray a, int[][] perms, int[] signs) {
    int[] s = a.shape();
    int n = s[s.length - 1];
    int[] batch = batchShape(s);
    double[] lu = a.toArray();
    for (int b = 0; b < perms.length; b++) {
      checkFinite(op, lu, b * n * n, n * n, batch, b);
      perms[b] = new int[n];
      signs[b] = luInPlace(lu, b * n * n, n, perms[b]);
    }
    return lu;
  }

  private static int batchCount(int[] shape) {
    return Shapes.size(batchShape(shape));
  }

  /**
   * X with A X = B, for A of shape [..., n, n] and B of shape [..., n, k] (equal batch axes).
   *
   * @throws IllegalArgumentException if A is singular (an exactly zero pivot) or not finite, naming the batch element
   */
  public static NDArray solve(NDArray a, NDArray b) {
    return solve("solve", a, b);
  }

  private static NDArray solve(String op, NDArray a, NDArray b) {
    checkSquare(op, a);
    checkSameBatch(op, a, b);
    int n = a.shape()[a.rank() - 1];
    int k = b.shape()[b.rank() - 1];
    int count = batchCount(a.shape());
    int[][] perms = new int[count][];
    int[] signs = new int[count];
    double[] lu = factorAll(op, a, perms, signs);
    double[] rhs = b.toArray();
    double[] x = new double[rhs.length];
    for (int i = 0; i < count; i++) {
      if (signs[i] == 0) {
        throw new IllegalArgumentException(op + ": A is singular" + where(batchShape(a.shape()), i)
            + " (a pivot of its LU factorisation is exactly 0), so the system has no unique solution");
      }
      luSolve(lu, i * n * n, n, perms[i], rhs, i * n * k, k, x, i * n * k);
    }
    return NDArray.wrap(x, b.shape(), DType.promote(a.dtype(), b.dtype()));
  }

  /** The inverse of every matrix of A [..., n, n]; throws like {@link #solve} for singular or non-finite A. */
  public static NDArray inv(NDArray a) {
    checkSquare("inv", a);
    int n = a.shape()[a.rank() - 1];
    NDArray eye = NDArray.eye(n).to(a.dtype()).broadcastTo(a.shape());
    return solve("inv", a, eye);
  }

  /** The determinant of every matrix of A [..., n, n] (shape [...]); 0 for a singular matrix. */
  public static NDArray det(NDArray a) {
    checkSquare("det", a);
    int n = a.shape()[a.rank() - 1];
    int count = batchCount(a.shape());
    int[][] perms = new int[count][];
    int[] signs = new int[count];
    double[] lu = factorAll("det", a, perms, signs);
    double[] d = new double[count];
    for (int b = 0; b < count; b++) {
      double p = signs[b]; // the product of the pivots: exact for small integer matrices
      for (int i = 0; i < n && p != 0.0; i++) {
        p *= lu[b * n * n + i * n + i];
      }
      d[b] = p;
    }
    return NDArray.wrap(d, batchShape(a.shape()), a.dtype());
  }

  /**
   * {sign, log|det|} of every matrix of A [..., n, n], each of shape [...]; a singular matrix gives sign 0 and
   * log|det| = −∞, as in PyTorch.
   */
  public static NDArray[] slogdet(NDArray a) {
    return slogdet("slogdet", a);
  }

  private static NDArray[] slogdet(String op, NDArray a) {
    checkSquare(op, a);
    int n = a.shape()[a.rank() - 1];
    int count = batchCount(a.shape());
    int[][] perms = new int[count][];
    int[] signs = new int[count];
    double[] lu = factorAll(op, a, perms, signs);
    double[] sign = new double[count];
    double[] log = new double[count];
    for (int b = 0; b < count; b++) {
      if (signs[b] == 0) {
        log[b] = Double.NEGATIVE_INFINITY;
        continue;
      }
      double sg = signs[b];
      double sum = 0;
      for (int i = 0; i < n; i++) {
        double u = lu[b * n * n + i * n + i];
        sg = u < 0 ? -sg : sg;
        sum += Math.log(Math.abs(u));
      }
      sign[b] = sg;
      log[b] = sum;
    }
    int[] batch = batchShape(a.shape());
    return new NDArray[] {NDArray.wrap(sign, batch, a.dtype()), NDArray.wrap(log, batch.clone(), a.dtype())};
  }

  // ------------------------------------------------------------------ Cholesky and triangular solves

  /**
   * The lower Cholesky factor L (A = L Lᵀ) of every matrix of A [..., n, n]; only the lower triangle of A is read.
   *
   * @throws IllegalArgumentException naming the order of the first leading minor that is not positive-definite
   */
  public static NDArray cholesky(NDArray a) {
    checkSquare("cholesky", a);
    int n = a.shape()[a.rank() - 1];
    int[] batch = batchShape(a.shape());
    double[] in = a.toArray();
    double[] l = new double[in.length];
    for (int b = 0; b < Shapes.size(batch); b++) {
      int o = b * n * n;
      for (int j = 0; j < n; j++) {
        for (int i = j; i < n; i++) {
          checkFinite("cholesky", in, o + i * n + j, 1, batch, b);
        }
      }
      for (int j = 0; j < n; j++) {
        double d = in[o + j * n + j];
        for (int k = 0; k < j; k++) {
          d -= l[o + j * n + k] * l[o + j * n + k];
        }
        if (!(d > 0)) {
          throw new IllegalArgumentException("cholesky: A is not positive-definite" + where(batch, b)
              + ": the leading minor of order " + (j + 1) + " is not positive-definite");
        }
        double ljj = Math.sqrt(d);
        l[o + j * n + j] = ljj;
        for (int i = j + 1; i < n; i++) {
          double v = in[o + i * n + j];
          for (int k = 0; k < j; k++) {
            v -= l[o + i * n + k] * l[o + j * n + k];
          }
          l[o + i * n + j] = v / ljj;
        }
      }
    }
    return NDArray.wrap(l, a.shape(), a.dtype());
  }

  /**
   * X with A X = B for triangular A [..., n, n] (only its {@code upper} or lower triangle is read; with
   * {@code unitriangular} its diagonal is taken as ones) and B [..., n, k] with the same batch axes. A zero on the
   * diagonal gives infinities or NaN, as in PyTorch (no check is made).
   */
  public static NDArray solveTriangular(NDArray a, NDArray b, boolean upper, boolean unitriangular) {
    checkSquare("solveTriangular", a);
    checkSameBatch("solveTriangular", a, b);
    int n = a.shape()[a.rank() - 1];
    int k = b.shape()[b.rank() - 1];
    int[] batch = batchShape(a.shape());
    double[] t = a.toArray();
    double[] x = b.toArray();
    for (int bi = 0; bi < Shapes.size(batch); bi++) {
      int o = bi * n * n;
      int xo = bi * n * k;
      for (int step = 0; step < n; step++) {
        int i = upper ? n - 1 - step : step;
        int from = upper ? i + 1 : 0;
        int to = upper ? n : i;
        for (int j = from; j < to; j++) {
          double aij = t[o + i * n + j];
          checkFinite("solveTriangular", t, o + i * n + j, 1, batch, bi);
          if (aij != 0.0) {
            for (int c = 0; c < k; c++) {
              x[xo + i * k + c] -= aij * x[xo + j * k + c];
            }
          }
        }
        if (!unitriangular) {
          checkFinite("solveTriangular", t, o + i * n + i, 1, batch, bi);
          double d = t[o + i * n + i];
          for (int c = 0; c < k; c++) {
            x[xo + i * k + c] /= d;
          }
        }
      }
    }
    return NDArray.wrap(x, b.shape(), DType.promote(a.dtype(), b.dtype()));
  }

  // ------------------------------------------------------------------ QR

  /**
   * The reduced QR factorisation {Q [..., m, k], R [..., k, n]} (k = min(m, n)) of A [..., m, n] by Householder
   * reflections, with R's diagonal non-negative.
   */
  public static NDArray[] qr(NDArray a) {
    checkMatrices("qr", a);
    int[] s = a.shape();
    int m = s[s.length - 2];
    int n = s[s.length - 1];
    int k = Math.min(m, n);
    int[] batch = batchShape(s);
    int count = Shapes.size(batch);
    double[] in = a.toArray();
    double[] qOut = new double[count * m * k];
    double[] rOut = new double[count * k * n];
    double[] r = new double[m * n];
    double[][] v = new double[k][];
    double[] q = new double[m * k];
    for (int b = 0; b < count; b++) {
      checkFinite("qr", in, b * m * n, m * n, batch, b);
      System.arraycopy(in, b * m * n, r, 0, m * n);
      for (int j = 0; j < k; j++) {
        v[j] = householder(r, m, n, j);
      }
      Arrays.fill(q, 0.0);
      for (int i = 0; i < k; i++) {
        q[i * k + i] = 1.0;
      }
      for (int j = k - 1; j >= 0; j--) { // Q = H_0 ⋯ H_{k−1} applied to the first k columns of I
        reflect(v[j], q, m, k, j, 0);
      }
      for (int i = 0; i < k; i++) {
        double sign = r[i * n + i] < 0 ? -1.0 : 1.0;
        for (int c = 0; c < n; c++) {
          rOut[b * k * n + i * n + c] = c < i ? 0.0 : sign * r[i * n + c];
        }
        for (int row = 0; row < m; row++) {
          qOut[b * m * k + row * k + i] = sign * q[row * k + i];
        }
      }
    }
    return new NDArray[] {NDArray.wrap(qOut, withLast(batch, m, k), a.dtype()),
        NDArray.wrap(rOut, withLast(batch, k, n), a.dtype())};
  }

  /** The unit Householder vector that zeroes column j of r below the diagonal, applied to r; null if none needed. */
  private static double[] householder(double[] r, int m, int n, int j) {
    double scale = 0;
    for (int i = j; i < m; i++) {
      scale = Math.max(scale, Math.abs(r[i * n + j]));
    }
    if (scale == 0.0) {
      return null;
    }
    double norm2 = 0;
    for (int i = j; i < m; i++) {
      double x = r[i * n + j] / scale;
      norm2 += x * x;
    }
    double x0 = r[j * n + j] / scale;
    double alpha = -Math.copySign(Math.sqrt(norm2), x0);
    double[] v = new double[m - j];
    for (int i = j; i < m; i++) {
      v[i - j] = r[i * n + j] / scale;
    }
    v[0] -= alpha;
    double vnorm = 0;
    for (double x : v) {
      vnorm += x * x;
    }
    vnorm = Math.sqrt(vnorm);
    if (vnorm == 0.0) {
      return null;
    }
    for (int i = 0; i < v.length; i++) {
      v[i] /= vnorm;
    }
    reflect(v, r, m, n, j, j);
    r[j * n + j] = alpha * scale; // exact values on and below the diagonal, instead of rounding noise
    for (int i = j + 1; i < m; i++) {
      r[i * n + j] = 0.0;
    }
    return v;
  }

  /** x ← (I − 2vvᵀ) x on rows j.. of the m × cols matrix x, for columns from {@code fromCol}. */
  private static void reflect(double[] v, double[] x, int m, int cols, int j, int fromCol) {
    if (v == null) {
      return;
    }
    for (int c = fromCol; c < cols; c++) {
      double dot = 0;
      for (int i = j; i < m; i++) {
        dot += v[i - j] * x[i * cols + c];
      }
      dot *= 2;
      for (int i = j; i < m; i++) {
        x[i * cols + c] -= dot * v[i - j];
      }
    }
  }

  // ------------------------------------------------------------------ symmetric eigenvalues

  /**
   * {eigenvalues [..., n] ascending, eigenvectors [..., n, n] as columns} of the symmetric matrices whose lower
   * triangles are those of A [..., n, n], by cyclic Jacobi rotations.
   */
  public static NDArray[] eigh(NDArray a) {
    checkSquare("eigh", a);
    int n = a.shape()[a.rank() - 1];
    int[] batch = batchShape(a.shape());
    int count = Shapes.size(batch);
    double[] in = a.toArray();
    double[] w = new double[count * n];
    double[] vecs = new double[count * n * n];
    double[] m = new double[n * n];
    double[] v = new double[n * n];
    for (int b = 0; b < count; b++) {
      int o = b * n * n;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j <= i; j++) {
          checkFinite("eigh", in, o + i * n + j, 1, batch, b);
          m[i * n + j] = in[o + i * n + j];
          m[j * n + i] = in[o + i * n + j];
        }
      }
      int exponent = scaleToUnit(m); // differences and products of entries near the overflow threshold stay finite
      jacobiEigen(m, v, n);
      for (int i = 0; i < n; i++) {
        m[i * n + i] = Math.scalb(m[i * n + i], exponent);
      }
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (x, y) -> Double.compare(m[x * n + x], m[y * n + y]));
      for (int c = 0; c < n; c++) {
        int src = order[c];
        w[b * n + c] = m[src * n + src];
        double sign = largestEntrySign(v, n, n, src);
        for (int row = 0; row < n; row++) {
          vecs[o + row * n + c] = sign * v[row * n + src];
        }
      }
    }
    return new NDArray[] {NDArray.wrap(w, withLast(batch, n), a.dtype()), NDArray.wrap(vecs, a.shape(), a.dtype())};
  }

  /** Diagonalises the symmetric m in place (eigenvalues on its diagonal), accumulating the rotations in v. */
  private static void jacobiEigen(double[] m, double[] v, int n) {
    Arrays.fill(v, 0.0);
    double norm = 0;
    for (int i = 0; i < n; i++) {
      v[i * n + i] = 1.0;
      for (int j = 0; j < n; j++) {
        norm = Math.max(norm, Math.abs(m[i * n + j]));
      }
    }
    if (norm == 0.0) {
      return;
    }
    double floor = norm * EPS * EPS; // off-diagonal entries below this move no eigenvalue by a representable amount
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      boolean rotated = false;
      for (int p = 0; p < n - 1; p++) {
        for (int q = p + 1; q < n; q++) {
          double apq = m[p * n + q];
          double app = m[p * n + p];
          double aqq = m[q * n + q];
          // the relative-accuracy test of Demmel and Veselić, plus an absolute floor
          double relative = EPS * Math.sqrt(Math.abs(app)) * Math.sqrt(Math.abs(aqq));
          if (Math.abs(apq) <= floor || Math.abs(apq) <= relative) {
            m[p * n + q] = 0.0;
            m[q * n + p] = 0.0;
            continue;
          }
          rotated = true;
          double theta = (aqq - app) / (2 * apq);
          double t = Math.copySign(1.0, theta) / (Math.abs(theta) + Math.hypot(1.0, theta));
          double c = 1 / Math.hypot(1.0, t);
          double s = t * c;
          for (int k = 0; k < n; k++) { // columns p and q
            double kp = m[k * n + p];
            double kq = m[k * n + q];
            m[k * n + p] = c * kp - s * kq;
            m[k * n + q] = s * kp + c * kq;
          }
          for (int k = 0; k < n; k++) { // rows p and q
            double pk = m[p * n + k];
            double qk = m[q * n + k];
            m[p * n + k] = c * pk - s * qk;
            m[q * n + k] = s * pk + c * qk;
          }
          m[p * n + q] = 0.0;
          m[q * n + p] = 0.0;
          for (int k = 0; k < n; k++) {
            double kp = v[k * n + p];
            double kq = v[k * n + q];
            v[k * n + p] = c * kp - s * kq;
            v[k * n + q] = s * kp + c * kq;
          }
        }
      }
      if (!rotated) {
        return;
      }
    }
  }

  /** +1 or −1: the sign that makes the largest-magnitude entry of column {@code col} of x (rows × cols) positive. */
  private static double largestEntrySign(double[] x, int rows, int cols, int col) {
    double best = -1;
    double sign = 1;
    for (int r = 0; r < rows; r++) {
      double e = x[r * cols + col];
      if (Math.abs(e) > best) {
        best = Math.abs(e);
        sign = e < 0 ? -1 : 1;
      }
    }
    return sign;
  }

  // ------------------------------------------------------------------ SVD

  /**
   * The reduced SVD {U [..., m, k], S [..., k] descending, Vh [..., k, n]} (k = min(m, n)) of A [..., m, n] by
   * one-sided Jacobi rotations, which give the singular values to high relative accuracy.
   */
  public static NDArray[] svd(NDArray a) {
    checkMatrices("svd", a);
    int[] s = a.shape();
    int m = s[s.length - 2];
    int n = s[s.length - 1];
    int k = Math.min(m, n);
    int[] batch = batchShape(s);
    int count = Shapes.size(batch);
    double[] in = a.toArray();
    double[] uOut = new double[count * m * k];
    double[] sOut = new double[count * k];
    double[] vhOut = new double[count * k * n];
    boolean tall = m >= n;
    int rows = tall ? m : n; // the Jacobi sweep works on the columns of A (tall) or of Aᵀ (wide)
    for (int b = 0; b < count; b++) {
      int o = b * m * n;
      checkFinite("svd", in, o, m * n, batch, b);
      double[] cols = new double[k * rows]; // column j of the working matrix at [j * rows ..]
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double x = in[o + i * n + j];
          if (tall) {
            cols[j * rows + i] = x;
          } else {
            cols[i * rows + j] = x;
          }
        }
      }
      double[] vcols = new double[k * k];
      double[] sv = new double[k];
      double[] ucols = new double[k * rows];
      oneSidedJacobi(cols, vcols, sv, ucols, rows, k);
      // working = ucols · diag(sv) · vcolsᵀ; for a wide A that is Aᵀ, so U and V swap
      double[] left = tall ? ucols : vcols;
      double[] right = tall ? vcols : ucols;
      int leftRows = tall ? rows : k;
      for (int j = 0; j < k; j++) {
        double best = -1;
        double sign = 1;
        for (int i = 0; i < m; i++) {
          double e = left[j * leftRows + i];
          if (Math.abs(e) > best) {
            best = Math.abs(e);
            sign = e < 0 ? -1 : 1;
          }
        }
        sOut[b * k + j] = sv[j];
        for (int i = 0; i < m; i++) {
          uOut[b * m * k + i * k + j] = sign * left[j * leftRows + i];
        }
        for (int c = 0; c < n; c++) {
          vhOut[b * k * n + j * n + c] = sign * right[j * (tall ? k : rows) + c];
        }
      }
    }
    return new NDArray[] {NDArray.wrap(uOut, withLast(batch, m, k), a.dtype()),
        NDArray.wrap(sOut, withLast(batch, k), a.dtype()),
        NDArray.wrap(vhOut, withLast(batch, k, n), a.dtype())};
  }

  /**
   * Orthogonalises the k columns (length {@code rows} ≥ k) of w by plane rotations, accumulated in the k × k
   * column-major v; then writes the column norms, descending, to sv, the unit columns to u, and sorts v to match.
   */
  private static void oneSidedJacobi(double[] w, double[] v, double[] sv, double[] u, int rows, int k) {
    int exponent = scaleToUnit(w); // keeps squared norms away from overflow and underflow
    double[] vv = new double[k * k];
    for (int i = 0; i < k; i++) {
      vv[i * k + i] = 1.0;
    }
    double tiny = Double.MIN_NORMAL / EPS;
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      boolean rotated = false;
      for (int p = 0; p < k - 1; p++) {
        for (int q = p + 1; q < k; q++) {
          double alpha = 0;
          double beta = 0;
          double gamma = 0;
          for (int i = 0; i < rows; i++) {
            double x = w[p * rows + i];
            double y = w[q * rows + i];
            alpha += x * x;
            beta += y * y;
            gamma += x * y;
          }
          if (Math.abs(gamma) <= EPS * Math.sqrt(alpha * beta) || Math.abs(gamma) < tiny) {
            continue;
          }
          rotated = true;
          double zeta = (beta - alpha) / (2 * gamma);
          double t = Math.copySign(1.0, zeta) / (Math.abs(zeta) + Math.hypot(1.0, zeta));
          double c = 1 / Math.hypot(1.0, t);
          double s = c * t;
          rotate(w, p * rows, q * rows, rows, c, s);
          rotate(vv, p * k, q * k, k, c, s);
        }
      }
      if (!rotated) {
        break;
      }
    }
    double[] norms = new double[k];
    Integer[] order = new Integer[k];
    for (int j = 0; j < k; j++) {
      double ss = 0;
      for (int i = 0; i < rows; i++) {
        ss += w[j * rows + i] * w[j * rows + i];
      }
      norms[j] = Math.sqrt(ss);
      order[j] = j;
    }
    Arrays.sort(order, (x, y) -> Double.compare(norms[y], norms[x]));
    double zero = Math.max(rows, k) * EPS * (k == 0 ? 0 : norms[order[0]]);
    for (int j = 0; j < k; j++) {
      int src = order[j];
      sv[j] = Math.scalb(norms[src], exponent);
      System.arraycopy(vv, src * k, v, j * k, k);
      for (int i = 0; i < rows; i++) {
        u[j * rows + i] = norms[src] > 0 ? w[src * rows + i] / norms[src] : 0.0;
      }
      if (norms[src] <= zero) { // direction lost in rounding: complete the columns to an orthonormal set
        completeColumn(u, rows, j);
      }
    }
  }

  /**
   * Scales x in place by a power of two (exactly) so that its largest magnitude is in [1, 2); returns the exponent
   * that undoes it (0 for a zero array).
   */
  private static int scaleToUnit(double[] x) {
    double max = 0;
    for (double e : x) {
      max = Math.max(max, Math.abs(e));
    }
    if (max == 0.0) {
      return 0;
    }
    int exponent = max < Double.MIN_NORMAL ? Math.getExponent(max * 0x1p54) - 54 : Math.getExponent(max);
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.scalb(x[i], -exponent);
    }
    return exponent;
  }

  private static void rotate(double[] x, int p, int q, int len, double c, double s) {
    for (int i = 0; i < len; i++) {
      double a = x[p + i];
      double b = x[q + i];
      x[p + i] = c * a - s * b;
      x[q + i] = s * a + c * b;
    }
  }

  /** Makes column j of u (columns of length rows) a unit vector orthogonal to columns 0..j−1. */
  private static void completeColumn(double[] u, int rows, int j) {
    double[] candidate = Arrays.copyOfRange(u, j * rows, (j + 1) * rows);
    for (int e = -1; e < rows; e++) {
      if (e >= 0) {
        Arrays.fill(candidate, 0.0);
        candidate[e] = 1.0;
      }
      for (int pass = 0; pass < 2; pass++) { // Gram–Schmidt twice is enough in floating point
        for (int c = 0; c < j; c++) {
          double dot = 0;
          for (int i = 0; i < rows; i++) {
            dot += candidate[i] * u[c * rows + i];
          }
          for (int i = 0; i < rows; i++) {
            candidate[i] -= dot * u[c * rows + i];
          }
        }
      }
      double norm = 0;
      for (double x : candidate) {
        norm += x * x;
      }
      norm = Math.sqrt(norm);
      if (norm > 0.5) {
        for (int i = 0; i < rows; i++) {
          u[j * rows + i] = candidate[i] / norm;
        }
        return;
      }
    }
  }
}
