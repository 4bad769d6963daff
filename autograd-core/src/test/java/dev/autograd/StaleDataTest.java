package dev.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.array.NDArray;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Arrays handed out are immutable; in-place parameter updates never change them or a graph recorded from them. */
class StaleDataTest {
  private static Value parameter() {
    Value p = Value.of(1, 2).requiresGrad(true);
    p.mutableData(); // as an optimizer does before its first in-place step
    return p;
  }

  private static void step(Value p) {
    p.mutableData().scaleAdd(1, 1, NDArray.of(100, 100));
  }

  @Test
  void aGraphRecordedFromDetachUsesTheValuesAtRecordingTime() {
    Value p = parameter();
    Value x = Value.of(3, 4).requiresGrad(true);
    Value y = x.mul(p.detach()).sum();
    step(p);
    y.backward();
    assertArrayEquals(new double[] {1, 2}, x.grad().toArray(), 0.0);
  }

  @Test
  void aGraphRecordedFromDataUsesTheValuesAtRecordingTime() {
    Value p = parameter();
    Value x = Value.of(3, 4).requiresGrad(true);
    Value y = x.mul(Value.of(p.data())).sum();
    step(p);
    y.backward();
    assertArrayEquals(new double[] {1, 2}, x.grad().toArray(), 0.0);
  }

  @Test
  void anArrayYouHoldNeverChangesAndStaysInAHashSet() {
    Value p = parameter();
    NDArray before = p.data();
    Set<NDArray> set = new HashSet<>(Set.of(before));
    step(p);
    assertArrayEquals(new double[] {1, 2}, before.toArray(), 0.0);
    assertTrue(set.contains(before));
    assertArrayEquals(new double[] {101, 102}, p.data().toArray(), 0.0);
  }

  @Test
  void differentiatingThroughTheParameterAfterAnUpdateIsRefused() {
    Value p = parameter();
    Value y = p.mul(p).sum();
    step(p);
    IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
    assertTrue(e.getMessage().contains("changed in place"), e.getMessage());
  }

  /**
   * Ops read a parameter's buffer without copying it (Value.array()); a result that would share the buffer, as views
   * do, must be copied, so that no result changes when the optimizer updates the parameter in place.
   */
  @Test
  void opResultsOfAParameterNeverChangeWithIt() {
    Value p = Value.of(new double[][] {{1, -2, 3}, {4, 5, -6}}).requiresGrad(true);
    p.mutableData();
    Map<String, UnaryOperator<Value>> ops = new LinkedHashMap<>();
    ops.put("reshape", v -> v.reshape(3, 2));
    ops.put("flatten", Value::flatten);
    ops.put("transpose", Value::transpose);
    ops.put("permute", v -> v.permute(1, 0));
    ops.put("slice", v -> v.slice(0, 1, 2));
    ops.put("unsqueeze", v -> v.unsqueeze(0));
    ops.put("squeeze", v -> v.unsqueeze(1).squeeze(1));
    ops.put("broadcastTo", v -> v.broadcastTo(4, 2, 3));
    ops.put("expand", v -> v.expand(2, 2, 3));
    ops.put("indexSelect", v -> v.indexSelect(1, 2, 0));
    ops.put("repeat", v -> v.repeat(2, 1));
    ops.put("relu", Value::relu);
    ops.put("mul", v -> v.mul(1.0));
    ops.put("add", v -> v.add(0.0));
    ops.put("matmul", v -> v.matmul(v.transpose()));
    ops.put("sum", v -> v.sum(0));
    Map<String, Value> results = new LinkedHashMap<>();
    Map<String, double[]> before = new LinkedHashMap<>();
    ops.forEach((name, op) -> {
      Value r = op.apply(p);
      results.put(name, r);
      before.put(name, r.data().toArray());
    });
    p.mutableData().scaleAdd(1, 1, NDArray.full(100, 2, 3));
    results.forEach((name, r) -> assertArrayEquals(before.get(name), r.data().toArray(), 0.0, name));
    for (Value r : results.values()) { // and none of these graphs can be differentiated any more
      assertThrows(IllegalStateException.class, () -> r.sum().backward());
    }
  }

  @Test
  void gradientsHandedOutDoNotChangeWithTheNextStep() {
    Value p = parameter();
    p.mul(p).sum().backward();
    NDArray grad = p.grad();
    step(p);
    p.zeroGrad();
    p.mul(p).sum().backward();
    assertArrayEquals(new double[] {2, 4}, grad.toArray(), 0.0);
    assertArrayEquals(new double[] {202, 204}, p.grad().toArray(), 0.0);
  }

  @Test
  void zeroExponentGivesZerosNotNull() {
    Value x = Value.of(0.0, -2.0, 3.0).requiresGrad(true);
    Value g = Autograd.grad(x.pow(0).sum(), x);
    assertArrayEquals(new double[3], g.data().toArray(), 0.0);
    Value s = Value.scalar(0.0).requiresGrad(true);
    s.pow(0).backward();
    assertEquals(0.0, s.grad().item());
  }

  @Test
  void reductionsTakeVarargsAxes() {
    Value x = Value.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
    assertArrayEquals(new double[] {6, 15}, x.sum(1).data().toArray(), 0.0);
    assertArrayEquals(new double[] {2.5, 3.5, 4.5}, x.mean(0).data().toArray(), 0.0);
    assertArrayEquals(new double[] {3, 6}, x.max(-1).data().toArray(), 0.0);
    assertEquals(21.0, x.sum(0, 1).item());
  }
}
