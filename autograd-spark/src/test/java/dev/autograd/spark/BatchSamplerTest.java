package dev.autograd.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

class BatchSamplerTest {
  @Test
  void eachEpochDrawsDistinctExamplesInSortedBatches() {
    BatchSampler s = new BatchSampler(103, 10, 4);
    assertEquals(10, s.stepsPerEpoch());
    for (int epoch = 0; epoch < 3; epoch++) {
      BitSet seen = new BitSet();
      for (int k = 0; k < 10; k++) {
        int[] b = s.batch(epoch * 10L + k);
        assertEquals(10, b.length);
        int[] sorted = b.clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, b);
        for (int i : b) {
          assertTrue(i >= 0 && i < 103);
          assertFalse(seen.get(i), "example " + i + " drawn twice in epoch " + epoch);
          seen.set(i);
        }
      }
      assertEquals(100, seen.cardinality());
    }
  }

  @Test
  void batchesDependOnlyOnSeedAndStep() {
    BatchSampler a = new BatchSampler(50, 7, 1);
    BatchSampler b = new BatchSampler(50, 7, 1);
    int[] late = b.batch(40); // out of order: another epoch first
    for (int t = 0; t < 42; t++) {
      assertArrayEquals(a.batch(t), b.batch(t));
    }
    assertArrayEquals(a.batch(40), late);
    assertFalse(Arrays.equals(a.batch(0), new BatchSampler(50, 7, 2).batch(0)));
    assertFalse(Arrays.equals(a.batch(0), a.batch(7)), "epochs are reshuffled");
  }

  @Test
  void rejectsBadArguments() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new BatchSampler(5, 6, 0)).getMessage()
        .contains("batch size must be in [1, 5]"));
    assertThrows(IllegalArgumentException.class, () -> new BatchSampler(5, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new BatchSampler(5, 5, 0).batch(-1));
  }
}
