package dev.autograd.array;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Sizes that do not fit an array are errors naming the op and the size, never a wrapped count or a VM error. */
class SizeLimitsTest {
  private static void rejects(Executable call, String... fragments) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), () -> "'" + f + "' missing from: " + e.getMessage());
    }
  }

  @Test
  void elementCountsThatWrapAreRejected() {
    rejects(() -> NDArray.zeros(65536, 65536, 65536, 65536), "zeros", "18446744073709551616", "more than an array");
    rejects(() -> NDArray.zeros(1 << 16, 1 << 16), "zeros", "4294967296");
    rejects(() -> NDArray.scalar(1).broadcastTo(65536, 65536, 65536, 65536), "broadcastTo", "elements");
    rejects(() -> NDArray.ones(1).reshape(65536, 65536, 65536, 65536), "reshape", "elements");
    rejects(() -> NDArray.ones(65536, 1).add(NDArray.ones(1, 65536)), "add", "[65536, 65536]", "elements");
    rejects(() -> NDArray.zeros(3, -1), "zeros", "negative");
  }

  @Test
  void creationOpsNameTheirSize() {
    rejects(() -> NDArray.eye(50000), "eye", "2500000000");
    rejects(() -> NDArray.eye(-1), "eye", "-1");
    rejects(() -> NDArray.arange(0, 1e10, 1), "arange", "10000000000");
    rejects(() -> NDArray.ones(3).pad(0, Integer.MAX_VALUE, 0), "pad", "elements");
  }

  @Test
  void emptyArraysOfHugeDimensionsAreFine() {
    assertEquals(0, NDArray.zeros(0, Integer.MAX_VALUE).size());
    assertEquals(0, NDArray.zeros(65536, 65536, 0).size());
  }
}
