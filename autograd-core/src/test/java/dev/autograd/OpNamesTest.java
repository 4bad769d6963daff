package dev.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.autograd.array.NDArray;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** An op's display name is only a label: no behaviour may depend on it. */
class OpNamesTest {
  private static final SplittableRandom RNG = new SplittableRandom(5);

  @Test
  void aCustomOpCalledTransposeGetsCorrectProductGradients() {
    CustomFunction scaled = CustomFunction.of("transpose",
        (ctx, xs) -> xs[0].mul(2.0),
        (ctx, g) -> new Value[] {g.mul(2.0)});
    GradCheck.create().verify(xs -> xs[0].matmul(scaled.apply(xs[1])).sum(), NDArray.randn(RNG, 3, 4),
        NDArray.randn(RNG, 4, 2));
    GradCheck.create().verify(xs -> xs[0].matmul(scaled.apply(xs[1]).transpose()).sum(), NDArray.randn(RNG, 3, 4),
        NDArray.randn(RNG, 2, 4));
  }

  @Test
  void aRetainedTransposeFeedingAProductKeepsItsGradient() {
    Value w = Value.randn(RNG, 2, 3).requiresGrad(true);
    Value x = Value.randn(RNG, 4, 3);
    Value wt = w.transpose().retainGrad();
    x.matmul(wt).sum().backward();
    assertNotNull(wt.grad(), "grad of the retained transpose");
    assertArrayEquals(w.grad().transpose().copy().toArray(), wt.grad().toArray(), 0.0);
  }

  @Test
  void matmulTransposedEqualsTheProductWithATransposedView() {
    NDArray a = NDArray.randn(RNG, 2, 5, 3);
    NDArray p = NDArray.randn(RNG, 4, 3);
    assertArrayEquals(Value.of(a).matmul(Value.of(p).transpose()).data().toArray(),
        Value.of(a).matmulTransposed(Value.of(p)).data().toArray(), 0.0);
  }
}
