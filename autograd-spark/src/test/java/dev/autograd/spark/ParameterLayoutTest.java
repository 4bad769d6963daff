package dev.autograd.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.Value;
import dev.autograd.nn.MLP;
import dev.autograd.nn.Module;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParameterLayoutTest {
  @Test
  void flattenAndLoadRoundTripInParameterOrder() {
    MLP a = MLP.builder().sizes(3, 4, 2).seed(1).build();
    MLP b = MLP.builder().sizes(3, 4, 2).seed(2).build();
    ParameterLayout layout = ParameterLayout.of(a);
    assertEquals(3 * 4 + 4 + 4 * 2 + 2, layout.size());
    assertEquals(List.copyOf(a.namedParameters().keySet()), layout.names());
    double[] flat = layout.flatten(a);
    assertArrayEquals(a.parameters().get(0).data().toArray(), java.util.Arrays.copyOfRange(flat, 0, 12), 0.0);
    layout.load(b, flat);
    assertArrayEquals(flat, layout.flatten(b), 0.0);
  }

  @Test
  void gradientsAddAndDivide() {
    MLP m = MLP.builder().sizes(2, 3, 1).seed(1).build();
    ParameterLayout layout = ParameterLayout.of(m);
    m.forward(Value.of(new double[][] {{1, 2}, {3, -1}})).sum().backward();
    double[] sum = new double[layout.size()];
    layout.addGradients(m, sum);
    layout.addGradients(m, sum);
    double[] expected = new double[layout.size()];
    int o = 0;
    for (Value p : m.parameters()) {
      for (double g : p.grad().toArray()) {
        expected[o++] = 2 * g;
      }
    }
    assertArrayEquals(expected, sum, 0.0);
    layout.setGradients(m, sum, 2);
    int k = 0;
    for (Value p : m.parameters()) {
      for (double g : p.grad().toArray()) {
        assertEquals(expected[k++] / 2, g, 0.0);
      }
    }
  }

  @Test
  void anotherArchitectureIsRejectedByName() {
    ParameterLayout layout = ParameterLayout.of(MLP.builder().sizes(3, 4, 2).build());
    Module wider = MLP.builder().sizes(3, 5, 2).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> layout.checkMatches(wider));
    assertTrue(e.getMessage().contains("'layers.0.weight' has shape [5, 3], expected [4, 3]")
        || e.getMessage().contains("layers.0.weight"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> layout.load(wider, new double[3]));
  }
}
