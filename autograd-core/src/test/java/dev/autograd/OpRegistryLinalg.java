package dev.autograd;

import static dev.autograd.OpRegistry.c;
import static dev.autograd.OpRegistry.call;
import static dev.autograd.OpRegistry.op;
import static dev.autograd.OpRegistry.r;
import static dev.autograd.OpRegistry.v;

import dev.autograd.array.NDArray;

/**
 * The {@link OpRegistry} entries of {@link Linalg}. Decompositions whose outputs carry a sign (eigenvectors, singular
 * vectors) are checked through sign-invariant functions of them (V∘V, U·Vh, V·diag(f(λ))·Vᵀ), and symmetric inputs are
 * symmetrised inside the function, so that finite differences see the same function as the gradient.
 */
final class OpRegistryLinalg {
  private OpRegistryLinalg() {}

  static void build() {
    solvers();
    determinants();
    cholesky();
    qr();
    eigh();
    svd();
  }

  // ------------------------------------------------------------------ inputs

  /** Uniform in [-1, 1] plus 3 on the diagonal: comfortably invertible (batched over leading axes). */
  static NDArray wellConditioned(int... shape) {
    int n = shape[shape.length - 1];
    return NDArray.uniform(new java.util.SplittableRandom(n * 31L + shape.length), -1, 1, shape)
        .add(NDArray.eye(n).mul(3.0));
  }

  static NDArray m(double[][] rows) {
    return NDArray.of(rows);
  }

  /** x + xᵀ: a symmetric matrix whatever x is. */
  static Value sym(Value x) {
    return x.add(x.transpose());
  }

  /** x·xᵀ + shift·I: symmetric positive-definite. */
  static Value spd(Value x, double shift) {
    int n = x.shape()[x.rank() - 1];
    return x.matmul(x.transpose()).add(Value.of(NDArray.eye(n).mul(shift).to(x.dtype())));
  }

  private static final NDArray SINGULAR = m(new double[][] {{1, 2}, {2, 4}});
  private static final NDArray NAN = m(new double[][] {{1, Double.NaN}, {0, 1}});

  // ------------------------------------------------------------------ entries

  private static void solvers() {
    ValueFunction solve = x -> Linalg.solve(x[0], x[1]);
    op("solve").sample("matrix right-hand side", solve, wellConditioned(3, 3), r(3, 2))
        .sample("vector right-hand side", solve, wellConditioned(3, 3), r(3))
        .sample("batched A, broadcast B", solve, wellConditioned(2, 3, 3), r(3, 2))
        .sample("batched vector [..., n]", solve, wellConditioned(2, 3, 3), r(2, 3))
        .sample("both batches broadcast", solve, wellConditioned(2, 1, 2, 2), r(3, 2, 1))
        .sample("ill-conditioned (cond ≈ 4e3)", solve, m(new double[][] {{1, 1}, {1, 1.001}}), v(1, -1))
        .sample("1 × 1", solve, m(new double[][] {{-0.5}}), r(1, 3))
        .sample("right side (X·A = B)", x -> Linalg.solve(x[0], x[1], false), wellConditioned(2, 3, 3), r(2, 3))
        .sample("right side, vector", x -> Linalg.solve(x[0], x[1], false), wellConditioned(3, 3), r(3))
        .rejects("non-square A", call(() -> Linalg.solve(c(r(2, 3)), c(r(2)))), "solve", "square", "[2, 3]")
        .rejects("rows of B", call(() -> Linalg.solve(c(r(3, 3)), c(r(2, 2)))), "solve", "[2, 2]", "[3, 3]")
        .rejects("columns of B, right side", call(() -> Linalg.solve(c(r(3, 3)), c(r(3, 2)), false)), "solve",
            "[3, 2]", "left = false")
        .rejects("vector length", call(() -> Linalg.solve(c(r(3, 3)), c(r(2)))), "solve", "[2]", "length 3")
        .rejects("batches that do not broadcast", call(() -> Linalg.solve(c(r(2, 2, 2)), c(r(3, 2, 1)))),
            "solve", "[2]", "[3]")
        .rejects("singular A", call(() -> Linalg.solve(c(SINGULAR), c(r(2)))), "solve", "singular")
        .rejects("singular batch element", call(() -> Linalg.solve(c(NDArray.stack(0, NDArray.eye(2), SINGULAR)),
            c(r(2, 2, 1)))), "solve", "singular", "batch element [1]")
        .rejects("NaN in A", call(() -> Linalg.solve(c(NAN), c(r(2)))), "solve", "NaN");
    op("inv").sample("3 × 3", x -> Linalg.inv(x[0]), wellConditioned(3, 3))
        .sample("batched", x -> Linalg.inv(x[0]), wellConditioned(2, 2, 2))
        .sample("needs a row swap", x -> Linalg.inv(x[0]), m(new double[][] {{0, 2}, {1, 1}}))
        .firstOrderSample("near-singular (cond ≈ 4e3)", x -> Linalg.inv(x[0]), m(new double[][] {{1, 1}, {1, 1.001}}))
        .rejects("non-square", call(() -> Linalg.inv(c(r(3, 2)))), "inv", "[3, 2]")
        .rejects("singular", call(() -> Linalg.inv(c(SINGULAR))), "inv", "singular");
    ValueFunction lower = x -> Linalg.solveTriangular(x[0], x[1], false);
    op("solveTriangular").sample("lower", lower, wellConditioned(3, 3), r(3, 2))
        .sample("upper", x -> Linalg.solveTriangular(x[0], x[1], true), wellConditioned(3, 3), r(3, 1))
        .sample("right side (X·A = B)", x -> Linalg.solveTriangular(x[0], x[1], true, false, false),
            wellConditioned(3, 3), r(2, 3))
        .sample("unitriangular", x -> Linalg.solveTriangular(x[0], x[1], false, true, true), r(3, 3), r(3, 2))
        .sample("batched A, broadcast B", lower, wellConditioned(2, 3, 3), r(3, 2))
        .rejects("rows of B", call(() -> Linalg.solveTriangular(c(r(3, 3)), c(r(2, 1)), true)), "solveTriangular",
            "[2, 1]", "[3, 3]")
        .rejects("vector B", call(() -> Linalg.solveTriangular(c(r(3, 3)), c(r(3)), true)), "solveTriangular",
            "[3]")
        .rejects("non-square", call(() -> Linalg.solveTriangular(c(r(2, 3)), c(r(2, 1)), false)), "square");
  }

  private static void determinants() {
    ValueFunction det = x -> Linalg.det(x[0]);
    op("det").sample("3 × 3", det, r(3, 3))
        .sample("batched", det, r(2, 3, 3))
        .sample("1 × 1", det, m(new double[][] {{-2}}))
        .sample("singular (rank n − 1)", det, SINGULAR)
        .sample("batch of singular and regular", det, NDArray.stack(0, SINGULAR, m(new double[][] {{2, 1}, {0, 3}})))
        .sample("large magnitudes", det, m(new double[][] {{1e3, 2e3}, {-3e3, 5e2}}))
        // two zero singular values: the cofactor matrix (first order) is 0, its derivative needs distinct values
        .firstOrderSample("singular (rank n − 2)", det, m(new double[][] {{1, 2, 3}, {2, 4, 6}, {-1, -2, -3}}))
        .rejects("non-square", call(() -> Linalg.det(c(r(2, 3)))), "det", "square", "[2, 3]")
        .rejects("vector", call(() -> Linalg.det(c(r(3)))), "det", "[3]")
        .rejects("NaN", call(() -> Linalg.det(c(NAN))), "det", "NaN");
    ValueFunction logabsdet = x -> Linalg.slogdet(x[0]).logabsdet();
    op("slogdet").sample("3 × 3", logabsdet, wellConditioned(3, 3))
        .sample("negative determinant", logabsdet, m(new double[][] {{0, 2}, {1, 1}}))
        .sample("batched", logabsdet, wellConditioned(2, 3, 3))
        .sample("sign · exp(logabsdet)", x -> {
          Linalg.Slogdet s = Linalg.slogdet(x[0]);
          return s.sign().mul(s.logabsdet().exp());
        }, r(3, 3))
        .rejects("non-square", call(() -> Linalg.slogdet(c(r(3, 1)))), "slogdet", "[3, 1]");
  }

  private static void cholesky() {
    op("cholesky").sample("3 × 3", x -> Linalg.cholesky(spd(x[0], 0.5)), r(3, 3))
        .sample("batched", x -> Linalg.cholesky(spd(x[0], 0.5)), r(2, 3, 3))
        .sample("upper", x -> Linalg.cholesky(spd(x[0], 0.5), true), r(3, 3))
        .sample("symmetrised input", x -> Linalg.cholesky(sym(x[0])), wellConditioned(3, 3))
        .firstOrderSample("ill-conditioned (cond ≈ 1e4)", x -> Linalg.cholesky(spd(x[0], 1e-3)),
            m(new double[][] {{1, 0.5}, {0.5, 0.25}}))
        .rejects("non-square", call(() -> Linalg.cholesky(c(r(2, 3)))), "cholesky", "[2, 3]")
        .rejects("not positive-definite", call(() -> Linalg.cholesky(c(SINGULAR.add(NDArray.eye(2).mul(-0.5))))),
            "cholesky", "leading minor of order 2")
        .rejects("negative batch element", call(() -> Linalg.cholesky(c(NDArray.stack(0, NDArray.eye(2),
            NDArray.eye(2).neg())))), "cholesky", "order 1", "batch element [1]")
        .rejects("NaN", call(() -> Linalg.cholesky(c(m(new double[][] {{1, 0}, {Double.NaN, 1}})))), "cholesky",
            "NaN");
  }

  private static void qr() {
    op("qr").sample("tall: Q", x -> Linalg.qr(x[0]).q(), r(4, 3))
        .sample("tall: R", x -> Linalg.qr(x[0]).r(), r(4, 3))
        .sample("square: Q and R together", x -> {
          Linalg.QR f = Linalg.qr(x[0]);
          return f.q().mul(f.r());
        }, wellConditioned(3, 3))
        .sample("wide: Q", x -> Linalg.qr(x[0]).q(), r(2, 3))
        .sample("wide: R", x -> Linalg.qr(x[0]).r(), r(2, 3))
        .sample("batched", x -> Linalg.qr(x[0]).r(), r(2, 3, 2))
        .sample("column vector", x -> Linalg.qr(x[0]).q(), r(3, 1))
        .rejects("vector", call(() -> Linalg.qr(c(r(3)))), "qr", "[3]")
        .rejects("NaN", call(() -> Linalg.qr(c(NAN))), "qr", "NaN");
  }

  private static void eigh() {
    op("eigh").sample("eigenvalues", x -> Linalg.eigh(sym(x[0])).eigenvalues(), r(3, 3))
        .sample("squared eigenvectors", x -> {
          Value vec = Linalg.eigh(sym(x[0])).eigenvectors();
          return vec.mul(vec);
        }, r(3, 3))
        .sample("V·diag(exp λ)·Vᵀ", x -> {
          Linalg.Eigh e = Linalg.eigh(sym(x[0]));
          Value vec = e.eigenvectors();
          return vec.mul(e.eigenvalues().exp().unsqueeze(-2)).matmul(vec.transpose());
        }, r(3, 3))
        .sample("batched squared eigenvectors", x -> {
          Value vec = Linalg.eigh(sym(x[0])).eigenvectors();
          return vec.mul(vec);
        }, r(2, 3, 3))
        .sample("large magnitudes", x -> Linalg.eigh(sym(x[0])).eigenvalues(),
            m(new double[][] {{1e4, 2e3}, {-3e3, 5e3}}))
        .rejects("non-square", call(() -> Linalg.eigh(c(r(2, 3)))), "eigh", "[2, 3]")
        .rejects("NaN in the lower triangle", call(() -> Linalg.eigh(c(m(new double[][] {{1, 0},
            {Double.NaN, 1}})))), "eigh", "NaN");
    op("eigvalsh").sample("3 × 3", x -> Linalg.eigvalsh(sym(x[0])), r(3, 3))
        .sample("batched", x -> Linalg.eigvalsh(sym(x[0])), r(2, 2, 2))
        .firstOrderSample("sum at a repeated eigenvalue", x -> Linalg.eigvalsh(sym(x[0])).sum(),
            NDArray.eye(3))
        .rejects("non-square", call(() -> Linalg.eigvalsh(c(r(3, 2)))), "eigh", "[3, 2]");
  }

  private static void svd() {
    op("svd").sample("tall: S", x -> Linalg.svd(x[0]).s(), r(4, 3))
        .sample("tall: U∘U", x -> {
          Value u = Linalg.svd(x[0]).u();
          return u.mul(u);
        }, r(4, 3))
        .sample("wide: Vh∘Vh", x -> {
          Value vh = Linalg.svd(x[0]).vh();
          return vh.mul(vh);
        }, r(2, 4))
        .sample("square: polar factor U·Vh", x -> {
          Linalg.SVD f = Linalg.svd(x[0]);
          return f.u().matmul(f.vh());
        }, r(3, 3))
        .sample("tall: U·diag(S)·Vh", x -> {
          Linalg.SVD f = Linalg.svd(x[0]);
          return f.u().mul(f.s().unsqueeze(-2)).matmul(f.vh());
        }, r(4, 2))
        .sample("wide: U·Vh", x -> {
          Linalg.SVD f = Linalg.svd(x[0]);
          return f.u().matmul(f.vh());
        }, r(2, 3))
        .sample("batched: U∘U", x -> {
          Value u = Linalg.svd(x[0]).u();
          return u.mul(u);
        }, r(2, 3, 2))
        .rejects("vector", call(() -> Linalg.svd(c(r(3)))), "svd", "[3]")
        .rejects("NaN", call(() -> Linalg.svd(c(NAN))), "svd", "NaN");
    op("svdvals").sample("tall", x -> Linalg.svdvals(x[0]), r(4, 3))
        .sample("wide", x -> Linalg.svdvals(x[0]), r(2, 3))
        .sample("batched", x -> Linalg.svdvals(x[0]), r(2, 3, 3))
        .sample("large magnitudes", x -> Linalg.svdvals(x[0]), m(new double[][] {{1e4, 2e3}, {-3e3, 5e3}}))
        .firstOrderSample("nuclear norm at repeated values", x -> Linalg.svdvals(x[0]).sum(),
            NDArray.eye(3).mul(2.0))
        .rejects("rank 1", call(() -> Linalg.svdvals(c(r(3)))), "svd", "[3]");
  }
}
