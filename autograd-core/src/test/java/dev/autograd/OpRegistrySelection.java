package dev.autograd;

import static dev.autograd.OpRegistry.away;
import static dev.autograd.OpRegistry.c;
import static dev.autograd.OpRegistry.call;
import static dev.autograd.OpRegistry.op;
import static dev.autograd.OpRegistry.pos;
import static dev.autograd.OpRegistry.r;
import static dev.autograd.OpRegistry.s;
import static dev.autograd.OpRegistry.v;

import dev.autograd.array.NDArray;

/**
 * Op-table entries for masks, products and norms, scans, sorting and indexing. Masks have no gradient of their own:
 * their samples differentiate a {@link Value#where} that the mask steers, with inputs away from the mask's edges.
 */
final class OpRegistrySelection {
  private OpRegistrySelection() {}

  static void build() {
    masks();
    productsAndNorms();
    scans();
    sorting();
    indexing();
    einsum();
  }

  /** A piecewise function steered by {@code mask}: x where the mask holds, x² elsewhere. */
  private static Value steer(Value mask, Value x) {
    return Value.where(mask, x, x.square());
  }

  private static void masks() {
    NDArray a = v(1, 2, -3, Double.NaN);
    NDArray b = v(1, 0, 5, Double.NaN);
    op("eq").sample("array", x -> steer(c(a).eq(c(b)), x[0]), r(4))
        .sample("constant", x -> steer(x[0].round().eq(1.0), x[0]), v(0.8, 1.1, 2.2, -0.7))
        .rejects("incompatible shapes", call(() -> c(r(2)).eq(c(r(3)))), "eq", "[2]", "[3]");
    op("ne").sample("array", x -> steer(c(a).ne(c(b)), x[0]), r(4))
        .sample("constant", x -> steer(c(a).ne(2.0), x[0]), r(4))
        .rejects("incompatible shapes", call(() -> c(r(2)).ne(c(r(3)))), "ne", "[2] and [3]");
    op("lt").sample("array", x -> steer(x[0].lt(x[1]), x[0]), v(1, 2, 3), v(2, 1, 5))
        .sample("constant", x -> steer(x[0].lt(0.0), x[0]), away(2, 3))
        .sample("row broadcast", x -> Value.where(x[0].lt(x[1]), x[0], x[1].mul(x[0])), away(3, 4), v(-0.1, 0.1, 5, -5))
        .rejects("incompatible shapes", call(() -> c(r(2)).lt(c(r(3)))), "lt", "[2] and [3]");
    op("le").sample("array", x -> steer(x[0].le(x[1]), x[0]), v(1, 2, 3), v(2, 1, 5))
        .sample("constant", x -> steer(x[0].le(0.0), x[0]), away(3))
        .rejects("incompatible shapes", call(() -> c(r(2)).le(c(r(3)))), "le", "[2] and [3]");
    op("gt").sample("array", x -> steer(x[0].gt(x[1]), x[1]), v(1, 2, 3), v(2, 1, 5))
        .sample("constant", x -> steer(x[0].gt(0.0), x[0]), away(2, 2))
        .sample("rank 0 against a matrix", x -> Value.where(x[0].gt(x[1]), x[1], x[1].neg()), s(0.05), away(2, 3))
        .rejects("incompatible shapes", call(() -> c(r(2)).gt(c(r(3)))), "gt", "[2]", "[3]");
    op("ge").sample("array", x -> steer(x[0].ge(x[1]), x[1]), v(1, 2, 3), v(2, 1, 5))
        .sample("constant", x -> steer(x[0].ge(0.0), x[0]), away(4))
        .rejects("incompatible shapes", call(() -> c(r(2)).ge(c(r(3)))), "ge", "[2]", "[3]");
    NDArray p = v(1, 0, 1, 0);
    NDArray q = v(1, 1, 0, Double.NaN);
    op("logicalAnd").sample("masks", x -> steer(c(p).logicalAnd(c(q)), x[0]), r(4))
        .sample("broadcast column", x -> steer(c(p).logicalAnd(c(v(1, 0)).reshape(2, 1)), x[0]), r(2, 4))
        .rejects("incompatible shapes", call(() -> c(r(2)).logicalAnd(c(r(3)))), "logicalAnd", "[2] and [3]");
    op("logicalOr").sample("masks", x -> steer(c(p).logicalOr(c(q)), x[0]), r(4))
        .rejects("incompatible shapes", call(() -> c(r(2)).logicalOr(c(r(3)))), "logicalOr", "[2] and [3]");
    op("logicalXor").sample("masks", x -> steer(c(p).logicalXor(c(q)), x[0]), r(4))
        .rejects("incompatible shapes", call(() -> c(r(2)).logicalXor(c(r(3)))), "logicalXor", "[2] and [3]");
    op("logicalNot").sample("mask", x -> steer(c(p).logicalNot(), x[0]), r(4));
    NDArray odd = v(1, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
    op("isnan").sample("mixed", x -> steer(c(odd).isnan(), x[0]), r(4));
    op("isinf").sample("mixed", x -> steer(c(odd).isinf(), x[0]), r(4));
    op("isfinite").sample("mixed", x -> steer(c(odd).isfinite(), x[0]), r(4));
    op("nanToNum").sample("finite input", x -> x[0].nanToNum(), r(2, 3))
        .sample("explicit replacements", x -> x[0].nanToNum(1, 2, 3), r(3));
    op("any").sample("rows", x -> steer(c(NDArray.of(new double[][] {{0, 0}, {0, 2}})).any(new int[] {1}, false),
            x[0]), r(2))
        .sample("all axes", x -> steer(c(p).any(), x[0]), r(3))
        .rejects("axis out of range", call(() -> c(r(2)).any(new int[] {1}, false)), "any", "axis 1");
    op("all").sample("rows", x -> steer(c(NDArray.of(new double[][] {{1, 3}, {0, 2}})).all(new int[] {1}, true),
            x[0]), r(2, 1))
        .sample("all axes", x -> steer(c(q).all(), x[0]), r(3))
        .rejects("axis out of range", call(() -> c(r(2)).all(new int[] {-2}, false)), "all", "axis -2");
    op("maskedFill").sample("broadcast mask", x -> x[0].maskedFill(c(v(1, 0, 1)), -2.5), r(2, 3))
        .sample("fill with infinity", x -> x[0].maskedFill(c(v(0, 1)), Double.NEGATIVE_INFINITY).exp(), r(3, 2))
        .sample("rank 0 mask", x -> x[0].maskedFill(c(s(0)), 7), r(2, 2))
        .rejects("mask larger than the value", call(() -> c(r(3)).maskedFill(c(r(2, 3)), 0)), "maskedFill",
            "[2, 3]", "[3]");
    op("maskedSelect").sample("matrix", x -> x[0].maskedSelect(c(NDArray.of(new double[][] {{1, 0}, {0, 1}}))),
            r(2, 2))
        .sample("broadcast mask, repeated elements", x -> x[0].maskedSelect(c(v(1, 1, 0))), r(2, 3))
        .sample("broadcast value", x -> x[0].maskedSelect(c(NDArray.of(new double[][] {{1, 0}, {1, 1}}))), r(2))
        .sample("nothing selected", x -> x[0].maskedSelect(c(NDArray.zeros(3))).sum().add(x[0].sum()), r(3))
        .rejects("incompatible shapes", call(() -> c(r(2)).maskedSelect(c(r(3)))), "maskedSelect", "[2]", "[3]");
    op("argmax").sample("gather the maximum", x -> x[0].gather(1, x[0].argmax(1, true)), r(3, 4))
        .sample("flat position", x -> x[0].reshape(-1).gather(0, x[0].argmax().reshape(1)), r(2, 3))
        .rejects("axis out of range", call(() -> c(r(2)).argmax(1, false)), "argmax", "axis 1")
        .rejects("empty axis", call(() -> c(NDArray.zeros(0, 2)).argmax(0, false)), "argmax", "length 0");
    op("argmin").sample("gather the minimum", x -> x[0].gather(0, x[0].argmin(0, true)), r(3, 4))
        .sample("flat position", x -> x[0].reshape(-1).gather(0, x[0].argmin().reshape(1)), r(5))
        .rejects("axis out of range", call(() -> c(r(2)).argmin(2, false)), "argmin", "axis 2");
  }

  private static void productsAndNorms() {
    op("prod").sample("all", x -> x[0].prod(), r(2, 3))
        .sample("axis 1", x -> x[0].prod(1), r(3, 4))
        .sample("axes keepDims", x -> x[0].prod(new int[] {0, 2}, true), r(2, 3, 2))
        .sample("one zero in a row", x -> x[0].prod(1), NDArray.of(new double[][] {{0, 2, -3}, {1.5, 2, 0.5}}))
        .sample("two zeros in a row", x -> x[0].prod(1), NDArray.of(new double[][] {{0, 2, 0}, {0, -1, 4}}))
        .sample("rank 0", x -> x[0].prod(), s(-1.7))
        .sample("large magnitudes", x -> x[0].prod(), v(1e3, -1e2, 1e-2))
        .rejects("axis out of range", call(() -> c(r(2)).prod(new int[] {3}, false)), "prod", "axis 3");
    op("norm").sample("2-norm", x -> x[0].norm(), r(2, 3))
        .sample("Frobenius over the last two axes", x -> x[0].norm(2, new int[] {-2, -1}, false), r(2, 3, 2))
        .sample("1-norm rows", x -> x[0].norm(1, new int[] {1}, true), away(3, 4))
        .sample("3-norm", x -> x[0].norm(3), r(4))
        .sample("0.5-norm", x -> x[0].norm(0.5), away(4))
        .sample("max norm", x -> x[0].norm(Double.POSITIVE_INFINITY, new int[] {0}, false), r(3, 2))
        .sample("min norm", x -> x[0].norm(Double.NEGATIVE_INFINITY), v(3, -0.5, 2))
        .sample("large magnitudes", x -> x[0].norm(), v(1e5, -3e5))
        .sample("rank 0", x -> x[0].norm(3), s(-1.3))
        .firstOrderSample("zero vector: subgradient 0", x -> x[0].norm().add(x[0].sum()), NDArray.zeros(3))
        .firstOrderSample("zero row among others", x -> x[0].norm(2, new int[] {1}, false),
            NDArray.of(new double[][] {{0, 0}, {3, 4}}))
        .rejects("p = 0", call(() -> c(r(2)).norm(0)), "norm", "p must be > 0")
        .rejects("negative p", call(() -> c(r(2)).norm(-1)), "norm", "-1")
        .rejects("NaN p", call(() -> c(r(2)).norm(Double.NaN)), "norm", "NaN")
        .rejects("max norm of nothing", call(() -> c(NDArray.zeros(0)).norm(Double.POSITIVE_INFINITY)), "norm",
            "empty");
  }

  private static void scans() {
    op("cumprod").sample("last axis", x -> x[0].cumprod(-1), r(2, 4))
        .sample("first axis", x -> x[0].cumprod(0), r(3, 2))
        .sample("zeros", x -> x[0].cumprod(0), v(0.5, 0, 2, 0, 3))
        .sample("zero first", x -> x[0].cumprod(1), NDArray.of(new double[][] {{0, 2, -1}, {1, 0, 3}}))
        .sample("rank 0", x -> x[0].cumprod(0), s(-2))
        .rejects("axis out of range", call(() -> c(r(2, 3)).cumprod(-3)), "cumprod", "axis -3");
    op("logCumSumExp").sample("last axis", x -> x[0].logCumSumExp(-1), r(2, 4))
        .sample("first axis", x -> x[0].logCumSumExp(0), r(3, 2))
        .sample("huge and tiny", x -> x[0].logCumSumExp(0), v(-1000, 0, 1000, 999))
        .sample("rank 0", x -> x[0].logCumSumExp(0), s(0.5))
        .rejects("axis out of range", call(() -> c(r(2)).logCumSumExp(1)), "logCumSumExp", "axis 1");
  }

  private static void sorting() {
    op("argsort").sample("gather in order", x -> x[0].gather(1, x[0].argsort(1, false)), r(3, 4))
        .sample("descending", x -> x[0].gather(0, x[0].argsort(0, true)), r(4, 2))
        .rejects("axis out of range", call(() -> c(r(2)).argsort(1, false)), "argsort", "axis 1");
    op("sort").sample("ascending rows", x -> x[0].sort(1, false).values(), r(3, 4))
        .sample("descending columns", x -> x[0].sort(0, true).values(), r(4, 3))
        .sample("weighted by rank", x -> x[0].sort(-1, false).values().mul(c(v(1, 2, 3, 4).to(x[0].dtype()))), r(4))
        .sample("rank 0", x -> x[0].sort(0, false).values(), s(3))
        .rejects("axis out of range", call(() -> c(r(2, 2)).sort(2, false)), "argsort", "axis 2");
    op("topk").sample("largest 2", x -> x[0].topk(2, 1, true).values(), r(3, 5))
        .sample("smallest 3", x -> x[0].topk(3, 0, false).values(), r(4, 2))
        .sample("k = 0", x -> x[0].topk(0, 0, true).values().sum().add(x[0].sum()), r(3))
        .rejects("k too large", call(() -> c(r(3)).topk(4, 0, true)), "topk", "k = 4", "length 3")
        .rejects("negative k", call(() -> c(r(3)).topk(-1, 0, true)), "topk", "-1");
  }

  private static void indexing() {
    NDArray rows = NDArray.of(new double[][] {{0, 2}, {1, 1}, {2, 0}});
    op("gather").sample("columns", x -> x[0].gather(1, c(rows)), r(3, 3))
        .sample("axis 0, repeats", x -> x[0].gather(0, c(NDArray.of(new double[][] {{2, 0, 1}, {2, 2, 0}}))), r(3, 3))
        .sample("smaller index", x -> x[0].gather(1, c(NDArray.of(new double[][] {{1}, {0}}))), r(3, 4))
        .sample("rank 0", x -> x[0].gather(0, c(s(0))), s(1.5))
        .sample("3-d", x -> x[0].gather(2, c(NDArray.fromFlat(new double[] {1, 0, 0, 1}, 2, 1, 2))), r(2, 2, 2))
        .rejects("index out of range", call(() -> c(r(2, 2)).gather(1, c(NDArray.of(new double[][] {{2}, {0}})))),
            "gather", "index 2.0", "length 2")
        .rejects("negative index", call(() -> c(r(3)).gather(0, c(v(-1)))), "gather", "-1.0")
        .rejects("fractional index", call(() -> c(r(3)).gather(0, c(v(0.5)))), "gather", "0.5")
        .rejects("rank mismatch", call(() -> c(r(2, 2)).gather(0, c(v(0)))), "gather", "rank 1", "rank 2")
        .rejects("index too wide", call(() -> c(r(2, 2)).gather(0, c(NDArray.zeros(1, 3)))), "gather", "[1, 3]");
    NDArray idx = NDArray.of(new double[][] {{1, 0, 2}});
    op("scatter").sample("row into matrix", x -> x[0].scatter(0, c(idx), x[1]), r(3, 3), r(1, 3))
        .sample("larger source, axis 1", x -> x[0].scatter(1, c(NDArray.of(new double[][] {{2}, {0}})), x[1]),
            r(2, 3), r(2, 2))
        .sample("repeated positions", x -> x[0].scatter(0, c(v(1, 1)), x[1]), r(3), r(2))
        .rejects("source too small", call(() -> c(r(3, 3)).scatter(0, c(idx), c(r(1, 2)))), "scatter", "[1, 2]")
        .rejects("index out of range", call(() -> c(r(2)).scatter(0, c(v(2)), c(r(1)))), "scatter", "2.0");
    op("scatterAdd").sample("row into matrix", x -> x[0].scatterAdd(0, c(idx), x[1]), r(3, 3), r(1, 3))
        .sample("repeated positions accumulate", x -> x[0].scatterAdd(1, c(NDArray.of(new double[][] {{0, 0, 1}})),
            x[1]), r(1, 2), r(1, 3))
        .rejects("rank mismatch", call(() -> c(r(3, 3)).scatterAdd(0, c(v(0)), c(r(1)))), "scatterAdd", "rank");
    op("expand").sample("keep and grow", x -> x[0].expand(2, -1, 3), r(4, 1))
        .sample("new leading axis", x -> x[0].expand(3, 2), r(2))
        .rejects("-1 for a new axis", call(() -> c(r(2)).expand(-1, 2)), "expand", "-1")
        .rejects("incompatible", call(() -> c(r(2)).expand(3)), "[2]", "[3]");
    op("tile").sample("fewer reps than axes", x -> x[0].tile(2), r(2, 3))
        .sample("more reps than axes", x -> x[0].tile(2, 1, 2), r(2, 2))
        .rejects("negative", call(() -> c(r(2)).tile(-1)), "repeat", "-1");
  }

  private static void einsum() {
    op("einsum").sample("matmul", x -> Value.einsum("ij,jk->ik", x[0], x[1]), r(2, 3), r(3, 4))
        .sample("bmm", x -> Value.einsum("bij,bjk->bik", x[0], x[1]), r(2, 2, 3), r(2, 3, 2))
        .sample("outer", x -> Value.einsum("i,j->ij", x[0], x[1]), r(3), r(2))
        .sample("trace", x -> Value.einsum("ii->", x[0]), r(3, 3))
        .sample("diagonal", x -> Value.einsum("ii->i", x[0]), r(3, 3))
        .sample("transpose", x -> Value.einsum("ij->ji", x[0]), r(2, 3))
        .sample("implicit output", x -> Value.einsum("ij,jk", x[0], x[1]), r(2, 3), r(3, 2))
        .sample("broadcast batch", x -> Value.einsum("...ij,...jk->...ik", x[0], x[1]), r(2, 1, 2, 3), r(3, 3, 2))
        .sample("dot and sum", x -> Value.einsum("i,i->", x[0], x[1]), r(4), r(4))
        .sample("elementwise", x -> Value.einsum("ij,ij->ij", x[0], x[1]), r(2, 3), r(2, 3))
        .sample("rank 0 operand", x -> Value.einsum(",ij->ij", x[0], x[1]), s(-0.7), r(2, 2))
        .sample("three operands", x -> Value.einsum("ij,jk,kl->il", x[0], x[1], x[2]), r(2, 3), r(3, 2), r(2, 2))
        .sample("bilinear", x -> Value.einsum("bi,oij,bj->bo", x[0], x[1], x[2]), r(2, 3), r(4, 3, 2), r(2, 2))
        .sample("sum a free axis", x -> Value.einsum("ij->", x[0]), pos(2, 3))
        .rejects("size mismatch", call(() -> Value.einsum("ij,jk->ik", c(r(2, 3)), c(r(4, 2)))), "einsum",
            "label 'j'", "3", "4")
        .rejects("wrong operand count", call(() -> Value.einsum("ij,jk->ik", c(r(2, 3)))), "einsum", "2 operands")
        .rejects("rank mismatch", call(() -> Value.einsum("ijk->i", c(r(2, 3)))), "einsum", "[2, 3]")
        .rejects("unknown output label", call(() -> Value.einsum("ij->k", c(r(2, 3)))), "einsum", "'k'")
        .rejects("bad character", call(() -> Value.einsum("i1->i", c(r(2, 3)))), "einsum", "'1'");
  }
}
