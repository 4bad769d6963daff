package dev.autograd;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.array.Decompositions;
import dev.autograd.array.NDArray;
import dev.autograd.array.Shapes;
import java.util.Arrays;

/**
 * Differentiable linear algebra, named and ordered like PyTorch's {@code torch.linalg}: solvers ({@link #solve},
 * {@link #solveTriangular}, {@link #inv}), determinants ({@link #det}, {@link #slogdet}) and decompositions
 * ({@link #cholesky}, {@link #qr}, {@link #eigh}, {@link #eigvalsh}, {@link #svd}, {@link #svdvals}).
 *
 * <pre>{@code
 * Value a = Value.of(new double[][] {{4, 1}, {1, 3}}).requiresGrad(true);
 * Value x = Linalg.solve(a, Value.of(1.0, 2.0));         // a · x = b
 * Linalg.Eigh e = Linalg.eigh(a);                        // ascending eigenvalues, eigenvectors as columns
 * Linalg.slogdet(a).logabsdet().add(x.sum()).backward(); // gradients through both
 * }</pre>
 *
 * <p>Every op takes a matrix or a batch of matrices [..., m, n] and works on each matrix of the batch; where two
 * operands are taken, their batch axes broadcast as in PyTorch. Backward rules follow PyTorch's
 * {@code FunctionsManual.cpp} and are written in differentiable ops (these included), so second derivatives work.
 * The forward kernels are in {@link Decompositions}, which documents their sign conventions (R with a non-negative
 * diagonal; the largest entry of each eigenvector and of each column of U positive).
 *
 * <p>Errors are {@link IllegalArgumentException}s naming the op, the shapes and, for a batch, the batch element: a
 * non-square or mis-shaped operand, a singular A in {@link #solve} and {@link #inv} (an exactly zero LU pivot, as
 * LAPACK reports it), a matrix that is not positive-definite in {@link #cholesky} (naming the leading minor that
 * fails), and NaN or infinity in a matrix that is factorised (PyTorch propagates NaN in some of these; here they
 * are refused). Gradients are undefined (infinite or NaN) where the function is not differentiable: repeated
 * eigenvalues for eigenvectors, repeated singular values (and, for a non-square A, zero ones) for singular vectors,
 * rank-deficient A for {@link #qr}, singular matrices for {@link #inv}, {@link #solve} and {@link #slogdet} (whose
 * backward then fails like {@link #inv}). {@link #det} has a gradient everywhere, the cofactor matrix.
 */
public final class Linalg {
  private Linalg() {}

  /** The result of {@link #slogdet}: det(A) = sign · exp(logabsdet). */
  public record Slogdet(Value sign, Value logabsdet) {}

  /** The result of {@link #qr}: A = Q · R. */
  public record QR(Value q, Value r) {}

  /** The result of {@link #eigh}: A = V · diag(eigenvalues) · Vᵀ with V = eigenvectors. */
  public record Eigh(Value eigenvalues, Value eigenvectors) {}

  /** The result of {@link #svd}: A = U · diag(S) · Vh. */
  public record SVD(Value u, Value s, Value vh) {}

  // ------------------------------------------------------------------ solvers

  /**
   * X with A·X = B, PyTorch's {@code torch.linalg.solve(A, B)}. A is [..., n, n]; B is a matrix [..., n, k], or a
   * vector: [n], or [..., n] when its shape is exactly A's without the last axis (PyTorch's rule). Batch axes
   * broadcast. Gradients: gB = solve(Aᵀ, g), gA = −gB·Xᵀ.
   *
   * @throws IllegalArgumentException for shapes that do not fit, a singular A (an exactly zero LU pivot) or a
   *     non-finite A, naming the batch element
   */
  public static Value solve(Value a, Value b) {
    return solve(a, b, true);
  }

  /**
   * With {@code left = false}, X with X·A = B instead (PyTorch's {@code solve(A, B, left=False)}): B is then a
   * matrix [..., k, n] or a vector as above, solved as Aᵀ·Xᵀ = Bᵀ.
   */
  public static Value solve(Value a, Value b, boolean left) {
    checkSquare("solve", a);
    int n = a.shape()[a.rank() - 1];
    boolean vector = b.rank() == 1
        || (b.rank() == a.rank() - 1 && Arrays.equals(b.shape(), Arrays.copyOf(a.shape(), a.rank() - 1)));
    checkArgument(vector || (b.rank() >= 2 && b.shape()[b.rank() - (left ? 2 : 1)] == n), "solve: B of shape %s "
        + "does not fit A of shape %s; B must be a vector [..., %s] or a matrix [..., %s] (left = %s)",
        Shapes.lazyFormat(b.shape()), Shapes.lazyFormat(a.shape()), n, left ? n + ", k" : "k, " + n, left);
    checkArgument(!vector || b.shape()[b.rank() - 1] == n, "solve: B of shape %s does not fit A of shape %s; "
        + "a vector B needs length %s", Shapes.lazyFormat(b.shape()), Shapes.lazyFormat(a.shape()), n);
    Value system = left ? a : a.transpose();
    if (vector) {
      Value[] ab = broadcastBatch("solve", system, b.unsqueeze(-1));
      Value x = solveMatrices(ab[0], ab[1]);
      return x.reshape(Arrays.copyOf(x.shape(), x.rank() - 1));
    }
    Value[] ab = broadcastBatch("solve", system, left ? b : b.transpose());
    Value x = solveMatrices(ab[0], ab[1]);
    return left ? x : x.transpose();
  }

  private static Value solveMatrices(Value a, Value b) {
    return Value.record("solve", Decompositions.solve(a.array(), b.array()), (g, out) -> {
      Value gb = solveMatrices(a.transpose(), g);
      return new Value[] {a.requiresGrad() ? gb.matmul(out.transpose()).neg() : null, gb};
    }, a, b);
  }

  /**
   * The inverse of A [..., n, n], PyTorch's {@code torch.linalg.inv}; gradient −A⁻ᵀ·g·A⁻ᵀ.
   *
   * @throws IllegalArgumentException for a non-square, singular or non-finite A, naming the batch element
   */
  public static Value inv(Value a) {
    checkSquare("inv", a);
    return Value.record("inv", Decompositions.inv(a.array()), (g, out) -> {
      Value t = out.transpose();
      return new Value[] {t.matmul(g).matmul(t).neg()};
    }, a);
  }

  /**
   * X with A·X = B (or X·A = B when {@code left} is false) for a triangular A [..., n, n], PyTorch's
   * {@code torch.linalg.solve_triangular(A, B, upper=, left=, unitriangular=)}. Only the {@code upper} (or lower)
   * triangle of A is read, and with {@code unitriangular} its diagonal is taken as ones; the gradient of A is
   * confined to the same entries. B must be a matrix [..., n, k] ([..., k, n] for {@code left = false}); batch axes
   * broadcast. A zero on a read diagonal gives infinities or NaN, as in PyTorch.
   *
   * @throws IllegalArgumentException for shapes that do not fit or a non-finite entry in the read triangle of A
   */
  public static Value solveTriangular(Value a, Value b, boolean upper, boolean left, boolean unitriangular) {
    checkSquare("solveTriangular", a);
    int n = a.shape()[a.rank() - 1];
    checkArgument(b.rank() >= 2 && b.shape()[b.rank() - (left ? 2 : 1)] == n, "solveTriangular: B of shape %s "
        + "does not fit A of shape %s; B must be a matrix [..., %s] (left = %s)", Shapes.lazyFormat(b.shape()),
        Shapes.lazyFormat(a.shape()), left ? n + ", k" : "k, " + n, left);
    if (!left) { // X·A = B is Aᵀ·Xᵀ = Bᵀ, whose triangle is the other one
      return solveTriangular(a.transpose(), b.transpose(), !upper, true, unitriangular).transpose();
    }
    Value[] ab = broadcastBatch("solveTriangular", a, b);
    return triangularMatrices(ab[0], ab[1], upper, unitriangular);
  }

  /** {@link #solveTriangular(Value, Value, boolean, boolean, boolean)} with {@code left = true}. */
  public static Value solveTriangular(Value a, Value b, boolean upper) {
    return solveTriangular(a, b, upper, true, false);
  }

  private static Value triangularMatrices(Value a, Value b, boolean upper, boolean unit) {
    NDArray x = Decompositions.solveTriangular(a.array(), b.array(), upper, unit);
    return Value.record("solveTriangular", x, (g, out) -> {
      Value gb = triangularMatrices(a.transpose(), g, !upper, unit);
      Value ga = null;
      if (a.requiresGrad()) {
        Value full = gb.matmul(out.transpose()).neg();
        ga = upper ? full.triu(unit ? 1 : 0) : full.tril(unit ? -1 : 0);
      }
      return new Value[] {ga, gb};
    }, a, b);
  }

  // ------------------------------------------------------------------ determinants

  /**
   * The determinant of A [..., n, n] (shape [...]), PyTorch's {@code torch.linalg.det}, as the product of the LU
   * pivots. The gradient is the cofactor matrix g·det·A⁻ᵀ; where |det| &lt; 100·ε (as PyTorch tests it) it is taken
   * through the SVD instead, g·det(U)det(Vh)·U·diag(∏_{j≠i} S_j)·Vh, which stays finite and correct at singular
   * matrices (its own derivative, the second order there, needs distinct singular values).
   */
  public static Value det(Value a) {
    checkSquare("det", a);
    return Value.record("det", Decompositions.det(a.array()), (g, out) -> new Value[] {detBackward(a, g, out)}, a);
  }

  private static Value detBackward(Value a, Value g, Value det) {
    int n = a.shape()[a.rank() - 1];
    if (n == 0) {
      return null;
    }
    if (n == 1) {
      return g.unsqueeze(-1).unsqueeze(-1);
    }
    NDArray singular = det.array().abs().map(d -> d < 100 * Math.ulp(1.0) ? 1.0 : 0.0);
    double count = singular.sum().item();
    if (count == 0) {
      return nonsingularDetGrad(a, g.mul(det));
    }
    if (count == singular.size()) {
      return singularDetGrad(a, g);
    }
    // a batch of both kinds: each formula sees a harmless stand-in for the matrices it does not own
    int[] maskShape = Arrays.copyOf(singular.shape(), singular.rank() + 2);
    maskShape[singular.rank()] = 1;
    maskShape[singular.rank() + 1] = 1;
    Value mask = Value.of(singular.reshape(maskShape));
    Value distinct = diagEmbed(Value.of(NDArray.arange(n).add(1.0)));
    Value singularPart = singularDetGrad(Value.where(mask, a, distinct), g);
    Value regularPart = nonsingularDetGrad(Value.where(mask, eye(n), a), g.mul(det));
    return Value.where(mask, singularPart, regularPart);
  }

  private static Value nonsingularDetGrad(Value a, Value gTimesDet) {
    return inv(a).transpose().mul(gTimesDet.unsqueeze(-1).unsqueeze(-1));
  }

  private static Value singularDetGrad(Value a, Value g) {
    SVD f = svd(a);
    NDArray rotation = Decompositions.det(f.u().array()).mul(Decompositions.det(f.vh().array())); // ±1
    Value d = productOfOthers(f.s()).mul(g.mul(Value.of(rotation)).unsqueeze(-1));
    return f.u().mul(d.unsqueeze(-2)).matmul(f.vh());
  }

  /** For s [..., n]: element i is ∏_{j≠i} s_j, by products (no division, so zeros are fine). */
  private static Value productOfOthers(Value s) {
    int n = s.shape()[s.rank() - 1];
    Value offDiagonal = s.unsqueeze(-2).mul(Value.of(NDArray.eye(n).neg().add(1.0))).add(eye(n));
    Value p = offDiagonal.slice(-1, 0, 1);
    for (int j = 1; j < n; j++) {
      p = p.mul(offDiagonal.slice(-1, j, j + 1));
    }
    return p.reshape(s.shape());
  }

  /**
   * The sign and the natural logarithm of the absolute value of the determinant of A [..., n, n], PyTorch's
   * {@code torch.linalg.slogdet}: det = sign · exp(logabsdet), without overflow for large matrices. A singular A
   * gives sign 0 and logabsdet −∞ (its gradient then fails as {@link #inv} does). The sign is a constant (its
   * derivative is 0 wherever it exists); logabsdet has gradient g·A⁻ᵀ.
   */
  public static Slogdet slogdet(Value a) {
    checkSquare("slogdet", a);
    NDArray[] sl = Decompositions.slogdet(a.array());
    Value logabsdet = Value.record("slogdet", sl[1],
        (g, out) -> new Value[] {inv(a).transpose().mul(g.unsqueeze(-1).unsqueeze(-1))}, a);
    return new Slogdet(Value.of(sl[0]), logabsdet);
  }

  // ------------------------------------------------------------------ Cholesky

  /**
   * The lower Cholesky factor L of the symmetric positive-definite A [..., n, n] (A = L·Lᵀ), PyTorch's
   * {@code torch.linalg.cholesky}. Only the lower triangle of A is read; the gradient (Murray's formula, as in
   * PyTorch) is symmetric, L⁻ᵀ·Φ·L⁻¹ with Φ = ½(tril(Lᵀg) + tril(Lᵀg, −1)ᵀ).
   *
   * @throws IllegalArgumentException if A is not positive-definite (naming the order of the first leading minor that
   *     is not), not square, or not finite
   */
  public static Value cholesky(Value a) {
    checkSquare("cholesky", a);
    return Value.record("cholesky", Decompositions.cholesky(a.array()), (gl, l) -> {
      Value phi = l.transpose().matmul(gl).tril(0);
      phi = phi.add(phi.tril(-1).transpose()).mul(0.5);
      Value left = solveTriangular(l.transpose(), phi, true, true, false); // L⁻ᵀ·Φ
      return new Value[] {solveTriangular(l, left, false, false, false)};  // (L⁻ᵀ·Φ)·L⁻¹
    }, a);
  }

  /** With {@code upper}, the upper factor U = Lᵀ (A = Uᵀ·U), as PyTorch's {@code cholesky(A, upper=True)}. */
  public static Value cholesky(Value a, boolean upper) {
    Value l = cholesky(a);
    return upper ? l.transpose() : l;
  }

  // ------------------------------------------------------------------ QR

  /**
   * The reduced QR factorisation of A [..., m, n], PyTorch's {@code torch.linalg.qr(A, mode='reduced')}: Q
   * [..., m, k] with orthonormal columns and upper-triangular R [..., k, n], k = min(m, n), R's diagonal
   * non-negative. The gradient follows PyTorch's {@code linalg_qr_backward}; it needs R's first k columns to be
   * invertible (A of full rank).
   */
  public static QR qr(Value a) {
    checkArgument(a.rank() >= 2, "qr: A must be a matrix or a batch of matrices, got shape %s",
        Shapes.lazyFormat(a.shape()));
    NDArray[] f = Decompositions.qr(a.array());
    Value[] qr = recordFactors("qr", a, f, (gs, os) -> qrBackward(gs[0], gs[1], os[0], os[1]));
    return new QR(qr[0], qr[1]);
  }

  private static Value qrBackward(Value gq, Value gr, Value q, Value r) {
    int m = q.shape()[q.rank() - 2];
    int n = r.shape()[r.rank() - 1];
    Value x = gr.matmul(r.transpose()).sub(q.transpose().matmul(gq));
    if (m >= n) {
      Value sym = x.triu(0);
      sym = sym.add(sym.transpose());
      sym = sym.sub(diagEmbed(diagonal(sym)).mul(0.5));
      Value ga = q.matmul(sym).add(gq);
      return solveTriangular(r.transpose(), ga, false, false, false); // ga·R⁻ᵀ
    }
    Value skew = x.neg().sub(x.neg().transpose()).tril(0);
    Value ga = q.matmul(skew);
    ga = solveTriangular(r.slice(-1, 0, m).transpose(), ga, false, false, false);
    ga = ga.pad(ga.rank() - 1, 0, n - m);
    return ga.add(q.matmul(gr));
  }

  // ------------------------------------------------------------------ symmetric eigenproblem

  /**
   * Eigenvalues (ascending, [..., n]) and orthonormal eigenvectors (columns of [..., n, n]) of the symmetric A,
   * PyTorch's {@code torch.linalg.eigh(A)} with its default {@code UPLO='L'}: only the lower triangle of A is read.
   * Each eigenvector's largest-magnitude entry is positive. The gradient follows PyTorch's
   * {@code linalg_eig_backward} for Hermitian input, V·(diag(gλ) + ½(VᵀgV − gVᵀV)/E)·Vᵀ with E_ij = λ_j − λ_i: it is
   * undefined (infinite or NaN) when a loss depends on the eigenvectors of a repeated eigenvalue. A loss of the
   * eigenvalues alone is fine there (see {@link #eigvalsh}).
   */
  public static Eigh eigh(Value a) {
    checkSquare("eigh", a);
    NDArray[] f = Decompositions.eigh(a.array());
    Value[] wv = recordFactors("eigh", a, f, (gs, os) -> eighBackward(gs[0], gs[1], os[0], os[1]));
    return new Eigh(wv[0], wv[1]);
  }

  private static Value eighBackward(Value gw, Value gv, Value w, Value v) {
    if (allZero(gv)) {
      return v.mul(gw.unsqueeze(-2)).matmul(v.transpose());
    }
    int n = w.shape()[w.rank() - 1];
    Value vtgv = v.transpose().matmul(gv);
    Value skew = vtgv.sub(vtgv.transpose()).mul(0.5);
    Value e = w.unsqueeze(-2).sub(w.unsqueeze(-1)).add(eye(n)); // the diagonal of skew is 0: 0/1 there
    return v.matmul(skew.div(e).add(diagEmbed(gw))).matmul(v.transpose());
  }

  /**
   * The eigenvalues of the symmetric A, ascending (PyTorch's {@code torch.linalg.eigvalsh}); the gradient
   * V·diag(g)·Vᵀ is defined also for repeated eigenvalues (its second order is not).
   */
  public static Value eigvalsh(Value a) {
    Eigh e = eigh(a);
    Value v = e.eigenvectors();
    return Value.record("eigvalsh", e.eigenvalues().array(),
        (g, out) -> new Value[] {v.mul(g.unsqueeze(-2)).matmul(v.transpose())}, a);
  }

  // ------------------------------------------------------------------ SVD

  /**
   * The reduced singular value decomposition of A [..., m, n], PyTorch's
   * {@code torch.linalg.svd(A, full_matrices=False)}: U [..., m, k], S [..., k] descending, Vh [..., k, n],
   * k = min(m, n). The largest-magnitude entry of each column of U is positive. The gradient follows PyTorch's
   * {@code svd_backward}: a loss of the singular values alone has gradient U·diag(gS)·Vh everywhere; one that
   * depends on U or Vh needs distinct singular values (and, for m ≠ n, non-zero ones), else it is infinite or NaN.
   */
  public static SVD svd(Value a) {
    checkArgument(a.rank() >= 2, "svd: A must be a matrix or a batch of matrices, got shape %s",
        Shapes.lazyFormat(a.shape()));
    NDArray[] f = Decompositions.svd(a.array());
    Value[] usv = recordFactors("svd", a, f, (gs, os) -> svdBackward(gs[0], gs[1], gs[2], os[0], os[1], os[2]));
    return new SVD(usv[0], usv[1], usv[2]);
  }

  private static Value svdBackward(Value gu, Value gs, Value gvh, Value u, Value s, Value vh) {
    int m = u.shape()[u.rank() - 2];
    int n = vh.shape()[vh.rank() - 1];
    boolean hasU = !allZero(gu);
    boolean hasV = !allZero(gvh);
    if (!hasU && !hasV) {
      return u.mul(gs.unsqueeze(-2)).matmul(vh);
    }
    int k = s.shape()[s.rank() - 1];
    Value s2 = s.mul(s);
    Value e = s2.unsqueeze(-2).sub(s2.unsqueeze(-1)).add(eye(k));
    Value uhgu = hasU ? skew(u.transpose().matmul(gu)) : null;
    Value vhgv = hasV ? skew(vh.matmul(gvh.transpose())) : null;
    Value ga;
    if (hasU && hasV) {
      ga = uhgu.mul(s.unsqueeze(-2)).add(s.unsqueeze(-1).mul(vhgv)).div(e);
    } else if (hasU) {
      ga = uhgu.div(e).mul(s.unsqueeze(-2));
    } else {
      ga = s.unsqueeze(-1).mul(vhgv.div(e));
    }
    ga = ga.add(diagEmbed(gs));
    if (m > n && hasU) { // the part of gU outside the column space of U
      ga = u.matmul(ga);
      Value guSinv = gu.div(s.unsqueeze(-2));
      ga = ga.add(guSinv).sub(u.matmul(u.transpose().matmul(guSinv)));
      return ga.matmul(vh);
    }
    if (m < n && hasV) {
      ga = ga.matmul(vh);
      Value sinvGvh = gvh.div(s.unsqueeze(-1));
      ga = ga.add(sinvGvh).sub(sinvGvh.matmul(vh.transpose()).matmul(vh));
      return u.matmul(ga);
    }
    return u.matmul(ga).matmul(vh);
  }

  /**
   * The singular values of A [..., m, n], descending (PyTorch's {@code torch.linalg.svdvals}); the gradient
   * U·diag(g)·Vh is defined also for repeated singular values (its second order is not).
   */
  public static Value svdvals(Value a) {
    SVD f = svd(a);
    Value u = f.u();
    Value vh = f.vh();
    return Value.record("svdvals", f.s().array(), (g, out) -> new Value[] {u.mul(g.unsqueeze(-2)).matmul(vh)}, a);
  }

  // ------------------------------------------------------------------ helpers

  private static void checkSquare(String op, Value a) {
    int r = a.rank();
    checkArgument(r >= 2 && a.shape()[r - 1] == a.shape()[r - 2], "%s: A must be a square matrix or a batch of "
        + "square matrices [..., n, n], got shape %s", op, Shapes.lazyFormat(a.shape()));
  }

  /** a and b broadcast to their common batch axes (their last two axes unchanged). */
  private static Value[] broadcastBatch(String op, Value a, Value b) {
    int[] sa = a.shape();
    int[] sb = b.shape();
    int[] batch = Shapes.broadcast(op, Decompositions.batchShape(sa), Decompositions.batchShape(sb));
    return new Value[] {expandBatch(a, batch), expandBatch(b, batch)};
  }

  private static Value expandBatch(Value x, int[] batch) {
    int[] s = x.shape();
    int[] target = Arrays.copyOf(batch, batch.length + 2);
    target[batch.length] = s[s.length - 2];
    target[batch.length + 1] = s[s.length - 1];
    return Arrays.equals(s, target) ? x : x.broadcastTo(target);
  }

  private static Value eye(int n) {
    return Value.of(NDArray.eye(n));
  }

  /** [..., n] to [..., n, n] with the vector on the diagonal. */
  private static Value diagEmbed(Value v) {
    return v.unsqueeze(-1).mul(eye(v.shape()[v.rank() - 1]));
  }

  /** The main diagonal of square matrices [..., n, n], as [..., n]. */
  private static Value diagonal(Value m) {
    return m.mul(eye(m.shape()[m.rank() - 1])).sum(m.rank() - 1);
  }

  private static Value skew(Value x) {
    return x.sub(x.transpose());
  }

  /** Whether an incoming gradient is zero everywhere: an output the loss does not use (PyTorch's undefined). */
  private static boolean allZero(Value g) {
    for (double x : g.array().toArray()) {
      if (x != 0.0) {
        return false;
      }
    }
    return true;
  }

  /** A backward rule of a factorisation: the input's gradient from the gradients and values of every output. */
  @FunctionalInterface
  private interface FactorRule {
    Value apply(Value[] grads, Value[] outputs);
  }

  /**
   * Records a factorisation with several outputs as one op (the engine's ops have one result): the outputs, each
   * flattened past the batch axes of {@code input}, are packed along one last axis and the op's result is cut back
   * into them. The rule sees the gradients and values cut the same way; an unused output has a zero gradient.
   */
  private static Value[] recordFactors(String op, Value input, NDArray[] outputs, FactorRule rule) {
    int[] batch = Decompositions.batchShape(input.shape());
    int[][] shapes = new int[outputs.length][];
    int[] sizes = new int[outputs.length];
    NDArray[] flat = new NDArray[outputs.length];
    for (int i = 0; i < outputs.length; i++) {
      shapes[i] = outputs[i].shape();
      sizes[i] = Shapes.size(Arrays.copyOfRange(shapes[i], batch.length, shapes[i].length));
      int[] flatShape = Arrays.copyOf(batch, batch.length + 1);
      flatShape[batch.length] = sizes[i];
      flat[i] = outputs[i].reshape(flatShape);
    }
    Value packed = Value.record(op, NDArray.concat(batch.length, flat),
        (g, out) -> new Value[] {rule.apply(unpack(g, shapes, sizes), unpack(out, shapes, sizes))}, input);
    return unpack(packed, shapes, sizes);
  }

  private static Value[] unpack(Value packed, int[][] shapes, int[] sizes) {
    Value[] parts = new Value[shapes.length];
    int axis = packed.rank() - 1;
    for (int i = 0, at = 0; i < shapes.length; at += sizes[i], i++) {
      parts[i] = packed.slice(axis, at, at + sizes[i]).reshape(shapes[i]);
    }
    return parts;
  }
}
