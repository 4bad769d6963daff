package dev.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.array.NDArray;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Forward semantics of masks, scans, sorting and indexing, and the gradients at the points the op table cannot
 * reach (zeros in products, non-finite inputs). Expected numbers are worked by hand or, where noted, are PyTorch
 * 1.13's results for the same inputs.
 */
class SelectionOpsTest {
  private static final double NAN = Double.NaN;
  private static final double INF = Double.POSITIVE_INFINITY;

  private static double[] values(Value v) {
    return v.data().toArray();
  }

  private static double[] gradient(Value x, Value y, double... seed) {
    Value s = y.rank() == 0 ? Value.scalar(seed[0]) : Value.of(seed).reshape(y.shape());
    return Autograd.grad(List.of(y), List.of(x), List.of(s), false, false).get(0).data().toArray();
  }

  @Test
  void comparisonsFollowIeeeIncludingNan() {
    Value a = Value.of(1, NAN, 3, -0.0);
    Value b = Value.of(1, NAN, 2, 0.0);
    assertArrayEquals(new double[] {1, 0, 0, 1}, values(a.eq(b)));
    assertArrayEquals(new double[] {0, 1, 1, 0}, values(a.ne(b)));
    assertArrayEquals(new double[] {0, 0, 1, 0}, values(a.gt(b)));
    assertArrayEquals(new double[] {1, 0, 1, 1}, values(a.ge(b)));
    assertArrayEquals(new double[] {0, 0, 0, 0}, values(a.lt(b)));
    assertArrayEquals(new double[] {1, 0, 0, 1}, values(a.le(b)));
    assertArrayEquals(new double[] {0, 1, 0, 0}, values(a.isnan()));
    Value odd = Value.of(INF, -INF, NAN, 0);
    assertArrayEquals(new double[] {1, 1, 0, 0}, values(odd.isinf()));
    assertArrayEquals(new double[] {0, 0, 0, 1}, values(odd.isfinite()));
    assertTrue(!a.eq(b).requiresGrad(), "masks carry no gradient");
  }

  @Test
  void logicTreatsNanAsTrue() {
    Value p = Value.of(1, 0, 1, 0, NAN);
    Value q = Value.of(1, 1, 0, 0, 0);
    assertArrayEquals(new double[] {1, 0, 0, 0, 0}, values(p.logicalAnd(q)));
    assertArrayEquals(new double[] {1, 1, 1, 0, 1}, values(p.logicalOr(q)));
    assertArrayEquals(new double[] {0, 1, 1, 0, 1}, values(p.logicalXor(q)));
    assertArrayEquals(new double[] {0, 1, 0, 1, 0}, values(p.logicalNot()));
  }

  @Test
  void anyAndAllIncludingEmptyAxes() {
    Value m = Value.of(new double[][] {{0, 0, 0}, {0, NAN, 0}, {1, 2, 3}});
    assertArrayEquals(new double[] {0, 1, 1}, values(m.any(new int[] {1}, false)));
    assertArrayEquals(new double[] {0, 0, 1}, values(m.all(new int[] {1}, false)));
    assertEquals(1.0, m.any().item());
    assertEquals(0.0, m.all().item());
    Value empty = Value.zeros(2, 0);
    assertArrayEquals(new double[] {0, 0}, values(empty.any(new int[] {1}, false)));
    assertArrayEquals(new double[] {1, 1}, values(empty.all(new int[] {1}, false)));
  }

  @Test
  void argmaxAndArgminPickTheFirstTieAndNan() { // PyTorch: argmax([1, nan, 5]) = 1, argmax([5, 1, 5]) = 0
    assertEquals(1.0, Value.of(1, NAN, 5).argmax().item());
    assertEquals(1.0, Value.of(1, NAN, -5).argmin().item());
    assertEquals(0.0, Value.of(5, 1, 5).argmax().item());
    assertEquals(1.0, Value.of(5, 1, 1).argmin().item());
    Value m = Value.of(new double[][] {{1, 7, 7}, {9, 0, 2}});
    assertArrayEquals(new double[] {1, 0}, values(m.argmax(1, false)));
    assertArrayEquals(new int[] {2, 1}, m.argmax(1, true).shape());
    assertArrayEquals(new double[] {0, 1, 1}, values(m.argmin(0, false)));
    assertEquals(4.0, m.argmin().item());
  }

  @Test
  void sortIsStableWithNanLast() { // PyTorch: sort([3, 1, nan, 1, -0, 0], stable) = [4, 5, 1, 3, 0, 2]
    Value x = Value.of(3, 1, NAN, 1, -0.0, 0);
    assertArrayEquals(new double[] {4, 5, 1, 3, 0, 2}, values(x.sort(0, false).indices()));
    assertArrayEquals(new double[] {2, 0, 1, 3, 4, 5}, values(x.sort(0, true).indices()));
    assertArrayEquals(new double[] {-0.0, 0, 1, 1, 3, NAN}, values(x.sort(0, false).values()));
    assertArrayEquals(values(x.sort(0, true).indices()), values(x.argsort(0, true)));
    Value m = Value.of(new double[][] {{3, 1, 2}, {0, 5, 4}});
    assertArrayEquals(new double[] {1, 2, 3, 0, 4, 5}, values(m.sort(1, false).values()));
    assertArrayEquals(new double[] {0, 1, 2, 3, 5, 4}, values(m.sort(0, false).values()));
  }

  @Test
  void topkTakesTheEarlierOfTiesAndRoutesGradientsBack() { // PyTorch: topk([1, 3, 3, 2], 2).indices = [1, 2]
    Value x = Value.of(1, 3, 3, 2).requiresGrad(true);
    ValuesAndIndices top = x.topk(2, 0, true);
    assertArrayEquals(new double[] {1, 2}, values(top.indices()));
    assertArrayEquals(new double[] {0, 10, 20, 0}, gradient(x, top.values(), 10, 20));
    assertArrayEquals(new double[] {0, 3}, values(x.topk(2, 0, false).indices()));
  }

  @Test
  void gatherScatterAndScatterAddAsPyTorch() {
    Value x = Value.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
    Value idx = Value.of(new double[][] {{2, 0}, {1, 1}});
    assertArrayEquals(new double[] {3, 1, 5, 5}, values(x.gather(1, idx)));
    Value scattered = Value.zeros(3, 3).scatter(0, Value.of(new double[][] {{1, 0, 2}}), x);
    assertArrayEquals(new double[] {0, 2, 0, 1, 0, 0, 0, 0, 3}, values(scattered));
    assertArrayEquals(new double[] {3, 3}, values(Value.zeros(2).scatterAdd(0, Value.of(1, 1, 0), Value.of(1, 2, 3))));
  }

  @Test
  void scatterGivesTheGradientToTheWriteThatStands() {
    Value src = Value.of(1, 2, 3).requiresGrad(true);
    Value out = Value.zeros(2).scatter(0, Value.of(1, 1, 0), src);
    assertArrayEquals(new double[] {3, 2}, values(out));
    assertArrayEquals(new double[] {0, 20, 10}, gradient(src, out, 10, 20));
  }

  @Test
  void maskedSelectAndFill() {
    Value x = Value.of(new double[][] {{1, 2, 3}, {4, 5, 6}}).requiresGrad(true);
    Value picked = x.maskedSelect(Value.of(1, 0, 1));
    assertArrayEquals(new double[] {1, 3, 4, 6}, values(picked));
    assertArrayEquals(new double[] {1, 0, 2, 3, 0, 4}, gradient(x, picked, 1, 2, 3, 4));
    assertArrayEquals(new double[] {-1, 2, -1, -1, 5, -1}, values(x.maskedFill(Value.of(1, 0, 1), -1)));
  }

  @Test
  void productGradientsWithZerosMatchPyTorch() { // PyTorch: [[-6, -0, 0], [1, 0.75, 3]]
    Value x = Value.of(new double[][] {{0, 2, -3}, {1.5, 2, 0.5}}).requiresGrad(true);
    assertArrayEquals(new double[] {-6, 0, 0, 1, 0.75, 3}, gradient(x, x.prod(1), 1, 1), 1e-15);
    Value two = Value.of(0, 2, 0).requiresGrad(true);
    assertArrayEquals(new double[] {0, 0, 0}, gradient(two, two.prod(), 1));
  }

  @Test
  void cumprodWithZerosMatchesPyTorchToSecondOrder() { // PyTorch: g = [5, 0, 0, 0], hvp = [58, 2, 30, 0]
    Value x = Value.of(0, 2, 0, 3).requiresGrad(true);
    Value g = Autograd.grad(List.of(x.cumprod(0)), List.of(x), List.of(Value.of(1, 2, 3, 4)), true, true).get(0);
    assertArrayEquals(new double[] {5, 0, 0, 0}, values(g), 1e-12);
    Value hvp = Autograd.grad(g.mul(Value.of(1, -1, 2, 0.5)).sum(), x);
    assertArrayEquals(new double[] {58, 2, 30, 0}, values(hvp), 1e-12);
  }

  @Test
  void logCumSumExpIsStableAtExtremes() { // PyTorch: values [-1000, 0, 1000, 1000.3132616875182]
    Value x = Value.of(-1000, 0, 1000, 999).requiresGrad(true);
    Value y = x.logCumSumExp(0);
    assertArrayEquals(new double[] {-1000, 0, 1000, 1000.3132616875182}, values(y), 1e-12);
    assertArrayEquals(new double[] {1, -2, 2.693175735890276, 0.8068242641100424}, gradient(x, y, 1, -2, 0.5, 3),
        1e-12);
  }

  @Test
  void normHasAZeroSubgradientAtZero() {
    Value x = Value.zeros(3).requiresGrad(true);
    assertArrayEquals(new double[] {0, 0, 0}, gradient(x, x.norm(), 1));
    Value y = Value.of(0, 2).requiresGrad(true); // PyTorch: vector_norm(p=0.5) grad = [0, 1]
    assertArrayEquals(new double[] {0, 1}, gradient(y, y.norm(0.5), 1), 1e-15);
    assertEquals(5.0, Value.of(3, -4).norm().item());
    assertEquals(7.0, Value.of(3, -4).norm(1).item());
    assertEquals(4.0, Value.of(3, -4).norm(Double.POSITIVE_INFINITY).item());
    assertEquals(Math.cbrt(91), Value.of(3, -4).norm(3).item(), 1e-14);
    assertEquals(INF, Value.of(1e200, 1e200).norm().item(), "overflows like PyTorch's vector_norm");
  }

  @Test
  void nanToNumReplacesAndPassesGradientOnlyWhereFinite() {
    Value x = Value.of(NAN, INF, -INF, 1).requiresGrad(true);
    Value y = x.nanToNum();
    assertArrayEquals(new double[] {0, Double.MAX_VALUE, -Double.MAX_VALUE, 1}, values(y));
    assertArrayEquals(new double[] {0, 0, 0, 1}, gradient(x, y, 1, 1, 1, 1));
    assertArrayEquals(new double[] {9, 8, 7, 1}, values(x.nanToNum(9, 8, 7)));
  }

  @Test
  void einsumAgreesWithTheOpsItStandsFor() {
    NDArray a = NDArray.uniform(new java.util.SplittableRandom(1), -1, 1, 2, 3, 4);
    NDArray b = NDArray.uniform(new java.util.SplittableRandom(2), -1, 1, 2, 4, 5);
    Value va = Value.of(a);
    Value vb = Value.of(b);
    assertTrue(Value.einsum("bij,bjk->bik", va, vb).data().allClose(a.matmul(b), 1e-14, 1e-14));
    assertTrue(Value.einsum("bij->bji", va).data().allClose(a.transpose(), 0, 0));
    Value sq = Value.of(new double[][] {{1, 2}, {3, 4}});
    assertEquals(5.0, Value.einsum("ii", sq).item());
    assertArrayEquals(new double[] {1, 4}, values(Value.einsum("ii->i", sq)));
    assertArrayEquals(new double[] {3, 4, 6, 8}, values(Value.einsum("i,j", Value.of(1, 2), Value.of(3, 4))));
    assertArrayEquals(new double[] {4, 6}, values(Value.einsum("ij->j", sq)));
  }

  @Test
  void emptyInputsFollowPyTorch() {
    Value e = Value.zeros(0).requiresGrad(true);
    assertEquals(1.0, e.prod().item(), "the product of nothing is 1");
    e.prod().backward();
    assertArrayEquals(new int[] {0}, e.grad().shape());
    assertArrayEquals(new double[] {1, 1}, values(Value.zeros(2, 0).prod(1)));
    Value c = Value.zeros(0).requiresGrad(true);
    c.cumprod(0).sum().backward();
    assertArrayEquals(new int[] {0}, c.grad().shape());
    assertEquals(0.0, Value.zeros(0).norm().item());
    assertArrayEquals(new int[] {0}, Value.zeros(0).sort(0, false).values().shape());
    assertArrayEquals(new int[] {2, 3}, Value.einsum("ij,jk->ik", Value.zeros(2, 0), Value.zeros(0, 3)).shape());
  }
}
