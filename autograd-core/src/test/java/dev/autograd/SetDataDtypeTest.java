package dev.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autograd.array.DType;
import dev.autograd.array.NDArray;
import org.junit.jupiter.api.Test;

/** {@link Value#setData} keeps the dtype of the array it is given, rank 0 included (a module's to(dtype) needs it). */
class SetDataDtypeTest {
  @Test
  void aRankZeroFloat32ArrayStaysFloat32() {
    Value p = Value.scalar(2.5).requiresGrad(true);
    p.setData(NDArray.scalar(1.5, DType.FLOAT32));
    assertEquals(DType.FLOAT32, p.dtype());
    assertEquals(DType.FLOAT32, p.data().dtype());
    assertEquals(1.5, p.item());
    p.mul(3.0).backward();
    assertEquals(DType.FLOAT32, p.grad().dtype());
    assertEquals(3.0, p.grad().item());
  }

  @Test
  void aRankZeroFloat64ArrayGoesBackToFloat64() {
    Value p = Value.scalar(2.5, DType.FLOAT32);
    p.setData(NDArray.scalar(0.1));
    assertEquals(DType.FLOAT64, p.dtype());
    assertEquals(0.1, p.item());
  }

  @Test
  void aFloat32ArrayReplacesAFloat64One() {
    Value p = Value.of(1.0, 2.0).requiresGrad(true);
    p.setData(NDArray.of(DType.FLOAT32, 3.0, 4.0));
    assertEquals(DType.FLOAT32, p.dtype());
    p.mutableData().scale(2);
    assertEquals(NDArray.of(DType.FLOAT32, 6.0, 8.0), p.data());
  }
}
