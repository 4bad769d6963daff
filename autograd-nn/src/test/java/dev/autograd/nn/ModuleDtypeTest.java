package dev.autograd.nn;

import static dev.autograd.array.DType.FLOAT32;
import static dev.autograd.array.DType.FLOAT64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.autograd.Value;
import dev.autograd.array.NDArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Module#to}, {@link Module#dtype()} and the dtype rules of {@link Module#loadStateDict}. */
class ModuleDtypeTest {
  /** A module with a rank-0 parameter and a count buffer of its own, beside a child with parameters and buffers. */
  private static final class Scaled extends Module {
    final Value scale = registerParameter("scale", NDArray.scalar(0.1));
    final Value steps = registerCountBuffer("steps", 3);
    final Sequential body = registerModule("body", new Sequential(new Linear(3, 4, new SplittableRandom(1)),
        new BatchNorm1d(4)));

    @Override
    public Value forward(Value x) {
      return body.forward(x).mul(scale);
    }
  }

  @Test
  void toConvertsEveryParameterAndBufferInPlace() {
    Scaled m = new Scaled();
    assertEquals(FLOAT64, m.dtype());
    List<Value> before = new ArrayList<>(m.namedParameters().values());
    before.addAll(m.namedBuffers().values());
    Map<String, NDArray> state = m.stateDict();
    Scaled same = m.to(FLOAT32);
    assertSame(m, same);
    assertEquals(FLOAT32, m.dtype());
    List<Value> after = new ArrayList<>(m.namedParameters().values());
    after.addAll(m.namedBuffers().values());
    for (int i = 0; i < before.size(); i++) {
      assertSame(before.get(i), after.get(i), "the same Value objects, so optimizers built before still hold them");
    }
    m.namedParameters().forEach((n, p) -> {
      assertEquals(FLOAT32, p.dtype(), n);
      assertEquals(state.get(n).to(FLOAT32), p.data(), n + " is the float64 value rounded");
    });
    assertEquals(FLOAT32, m.scale.dtype(), "a rank-0 parameter too");
    assertEquals(FLOAT32, m.namedBuffers().get("body.1.running_var").dtype());
    assertEquals(FLOAT64, m.steps.dtype(), "a count stays float64, as PyTorch's integer buffers stay integers");
    assertEquals(FLOAT64, m.namedBuffers().get("body.1.num_batches_tracked").dtype());
    m.to(FLOAT64);
    assertEquals(FLOAT64, m.scale.dtype());
    assertEquals(FLOAT64, m.namedBuffers().get("body.1.running_var").dtype());
  }

  @Test
  void aFloat32ModelTrainsInFloat32AndCountsInFloat64() {
    Scaled m = new Scaled().to(FLOAT32);
    Value x = Value.randn(new SplittableRandom(2), FLOAT32, 5, 3);
    Value y = m.forward(x);
    assertEquals(FLOAT32, y.dtype());
    y.sum().backward();
    m.parameters().forEach(p -> assertEquals(FLOAT32, p.grad().dtype()));
    BatchNorm1d bn = (BatchNorm1d) m.body.get(1);
    assertEquals(FLOAT32, bn.runningMean().dtype());
    assertEquals(FLOAT64, bn.numBatchesTracked().dtype());
    assertEquals(1.0, bn.numBatchesTracked().item());
    m.forward(x.to(FLOAT64)); // a float64 batch promotes the computation, but not the float32 statistics
    assertEquals(FLOAT32, bn.runningMean().dtype());
    assertEquals(FLOAT32, bn.runningVar().dtype());
  }

  @Test
  void toConvertsAccumulatedGradients() {
    Linear l = new Linear(3, 2, new SplittableRandom(3));
    l.forward(Value.randn(new SplittableRandom(4), 4, 3)).sum().backward();
    NDArray g = l.weight().grad();
    l.to(FLOAT32);
    assertEquals(FLOAT32, l.weight().grad().dtype());
    assertEquals(g.to(FLOAT32), l.weight().grad());
  }

  @Test
  void loadStateDictKeepsTheModelsDtypes() {
    Scaled wide = new Scaled();
    wide.scale.setData(NDArray.scalar(0.3)); // not a float32 number: it must be rounded on the way in
    Scaled single = new Scaled().to(FLOAT32);
    single.loadStateDict(wide.stateDict());
    single.namedParameters().forEach((n, p) -> assertEquals(FLOAT32, p.dtype(), n));
    assertEquals((double) 0.3f, single.scale.item());
    assertEquals(FLOAT64, single.steps.dtype());
    Scaled back = new Scaled();
    back.loadStateDict(single.stateDict());
    back.namedParameters().forEach((n, p) -> assertEquals(FLOAT64, p.dtype(), n));
    assertEquals((double) 0.3f, back.scale.item());
    assertNotEquals(0.3, back.scale.item());
    Map<String, NDArray> counted = new LinkedHashMap<>(single.stateDict());
    counted.put("steps", NDArray.scalar(16_777_217)); // 2^24 + 1: no float32 has it
    single.loadStateDict(counted);
    assertEquals(16_777_217.0, single.steps.item());
  }

  @Test
  void aModuleWithoutTensorsIsFloat64() {
    assertEquals(FLOAT64, new Activations.ReLU().dtype());
    assertEquals(FLOAT64, new Activations.ReLU().to(FLOAT32).dtype());
    assertEquals(FLOAT32, BatchNorm1d.builder(2).affine(false).build().to(FLOAT32).dtype(), "buffers count when there are no parameters");
  }
}
