package dev.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.GradCheck;
import dev.autograd.Value;
import dev.autograd.array.NDArray;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The activations added for issue #14: closed forms at edge points, PyTorch's gradients there, and grad checks. */
class ActivationsExtraTest {
  private static final GradCheck CHECK = GradCheck.create();
  private static final double[] EDGES = {0.0, 1.0, -1.0, 30.0, -30.0, 800.0, -800.0};

  /** Values and gradients (of the sum) at {@link #EDGES}. */
  private static void assertValuesAndGrads(Module m, double[] values, double[] grads, double tol) {
    Value x = Value.of(EDGES).requiresGrad(true);
    Value y = m.forward(x);
    y.sum().backward();
    assertArrayEquals(values, y.data().toArray(), tol, m.toString());
    assertArrayEquals(grads, x.grad().toArray(), tol, m.toString());
  }

  @Test
  void closedFormsAndTorchGradientsAtEdges() {
    // reference from torch 1.13 (float64), each activation at 0, ±1, ±30, ±800 and the gradient of the sum
    assertValuesAndGrads(new Activations.ELU(0.7),
        new double[] {0.0, 1.0, 0.7 * Math.expm1(-1), 30.0, 0.7 * Math.expm1(-30), 800.0, -0.7},
        new double[] {0.7, 1.0, 0.2575156088200096, 1.0, 6.550336078188121e-14, 1.0, 0.0}, 1e-15);
    assertValuesAndGrads(new Activations.SELU(),
        new double[] {0.0, 1.0507009873554805, -1.1113307378125625, 31.521029620664414, -1.758099340847212,
            840.5607898843843, -1.7580993408473766},
        new double[] {1.7580993408473766, 1.0507009873554805, 0.646768603034814, 1.0507009873554805,
            1.6451630773416182e-13, 1.0507009873554805, 0.0}, 1e-13);
    assertValuesAndGrads(new Activations.SiLU(),
        new double[] {0.0, 0.7310585786300049, -0.2689414213699951, 29.999999999997197, -2.8072868906517896e-12, 800.0,
            -0.0},
        new double[] {0.5, 0.9276705118714869, 0.07232948812851325, 1.000000000002711, -2.713710660963134e-12, 1.0,
            -0.0}, 1e-15);
    assertValuesAndGrads(new Activations.Mish(),
        new double[] {0.0, 0.8650983882673103, -0.30340146137410895, 30.0, -2.807286890651921e-12, 800.0, -0.0},
        new double[] {0.6, 1.0490362200997922, 0.059216755877395014, 1.0, -2.713710660963392e-12, 1.0, 0.0}, 1e-15);
    assertValuesAndGrads(new Activations.Softsign(),
        new double[] {0.0, 0.5, -0.5, 30.0 / 31, -30.0 / 31, 800.0 / 801, -800.0 / 801},
        new double[] {1.0, 0.25, 0.25, 1.0 / 961, 1.0 / 961, 1.0 / (801.0 * 801), 1.0 / (801.0 * 801)}, 1e-15);
    assertValuesAndGrads(new Activations.LogSigmoid(),
        new double[] {-Math.log(2), -0.31326168751822286, -1.3132616875182228, -9.357622968839737e-14,
            -30.000000000000092, 0.0, -800.0},
        new double[] {0.5, 0.2689414213699951, 0.7310585786300049, 9.3576229688393e-14, 0.9999999999999064, 0.0,
            1.0}, 1e-15);
  }

  @Test
  void geluExactIsTheDefaultAndTanhIsAnOption() {
    double[] x = {0.0, 1.0, -1.0, 3.0, -8.0, -30.0, 10.0};
    Value exact = new Activations.GELU().forward(Value.of(x));
    // reference from torch 1.13: F.gelu(x)
    assertArrayEquals(new double[] {0.0, 0.841344746068543, -0.15865525393145702, 2.99595030590511,
        -4.884981308350689e-15, -0.0, 10.0}, exact.data().toArray(), 1e-15);
    // torch's 1 + erf(x/√2) cancels at −8; x·Φ(x) with Φ(−8) = 6.22096057427178e-16 is the true value
    assertEquals(-8 * 6.22096057427178e-16, exact.data().get(4), 1e-28);
    Value tanh = new Activations.GELU("tanh").forward(Value.of(0.0, 1.0, -1.0, 3.0, -8.0));
    // reference from torch 1.13: F.gelu(x, approximate='tanh')
    assertArrayEquals(new double[] {0.0, 0.8411919906082768, -0.15880800939172324, 2.996362607918227, -0.0},
        tanh.data().toArray(), 1e-15);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Activations.GELU("erf"));
    assertTrue(e.getMessage().contains("'none' or 'tanh'"), e.getMessage());
  }

  @Test
  void hardtanhClampsAndHasNoGradientAtItsEnds() {
    Value x = Value.of(-2.0, -1.0, 0.0, 1.0, 2.0, 0.5).requiresGrad(true);
    Value y = new Activations.Hardtanh().forward(x);
    y.sum().backward();
    assertArrayEquals(new double[] {-1, -1, 0, 1, 1, 0.5}, y.data().toArray(), 0.0);
    assertArrayEquals(new double[] {0, 0, 1, 0, 0, 1}, x.grad().toArray(), 0.0); // torch 1.13: 0 at ±1
    Value z = new Activations.Hardtanh(0, 6).forward(Value.of(-1.0, 3.0, 7.0)); // ReLU6
    assertArrayEquals(new double[] {0, 3, 6}, z.data().toArray(), 0.0);
    assertTrue(Double.isNaN(new Activations.Hardtanh().forward(Value.of(Double.NaN)).item()), "NaN propagates");
    assertTrue(Double.isNaN(new Activations.ELU().forward(Value.of(Double.NaN)).item()));
    assertThrows(IllegalArgumentException.class, () -> new Activations.Hardtanh(1, 1));
    assertThrows(IllegalArgumentException.class, () -> new Activations.ELU(Double.NaN));
  }

  @Test
  void gradChecksFirstAndSecondOrder() {
    List<Supplier<Module>> all = List.of(() -> new Activations.ELU(0.7), Activations.SELU::new, Activations.SiLU::new,
        Activations.Mish::new, Activations.Softsign::new, () -> new Activations.Hardtanh(-1, 1.5),
        Activations.LogSigmoid::new, Activations.GELU::new, () -> new Activations.GELU("tanh"));
    NDArray away = Waves.wave(0.3, 2.5, 3, 4); // no sample at a kink (0 for ELU/softsign, ±1 and 1.5 for Hardtanh)
    NDArray large = NDArray.of(-40, -12, 12, 40);
    for (Supplier<Module> make : all) {
      Module m = make.get();
      CHECK.verify(xs -> m.forward(xs[0]), away);
      CHECK.verify(xs -> m.forward(xs[0]), large);
      if (!(m instanceof Activations.Hardtanh)) { // piecewise linear: its second derivative is zero everywhere
        CHECK.verifySecondOrder(xs -> m.forward(xs[0]), away);
      }
    }
  }

  @Test
  void flattenMergesTheRequestedAxes() {
    Value x = Value.zeros(2, 3, 4, 5);
    assertArrayEquals(new int[] {2, 60}, new Flatten().forward(x).shape());
    assertArrayEquals(new int[] {2, 12, 5}, new Flatten(1, 2).forward(x).shape());
    assertArrayEquals(new int[] {120}, new Flatten(0, -1).forward(x).shape());
    CHECK.verify(xs -> new Flatten().forward(xs[0]), Waves.wave(0, 1, 2, 2, 3));
    assertThrows(IllegalArgumentException.class, () -> new Flatten(2, 1).forward(x));
    assertThrows(IllegalArgumentException.class, () -> new Flatten(1, 7).forward(x));
  }

  @Test
  void channelDropoutZeroesWholeChannels() {
    Dropout2d d = new Dropout2d(0.5, 7);
    double[] y = d.forward(Value.ones(8, 16, 3, 3)).data().toArray();
    int dropped = 0;
    for (int ch = 0; ch < 8 * 16; ch++) {
      double first = y[ch * 9];
      assertTrue(first == 0.0 || first == 2.0);
      for (int j = 1; j < 9; j++) {
        assertEquals(first, y[ch * 9 + j], 0.0, "one draw per channel");
      }
      dropped += first == 0 ? 1 : 0;
    }
    assertTrue(dropped > 40 && dropped < 88, "about half the channels: " + dropped);
    Dropout1d d1 = new Dropout1d(0.3, 1);
    double[] z = d1.forward(Value.ones(4, 5)).data().toArray(); // unbatched [C, L]
    for (int ch = 0; ch < 4; ch++) {
      for (int j = 1; j < 5; j++) {
        assertEquals(z[ch * 5], z[ch * 5 + j], 0.0);
      }
    }
    d.eval();
    NDArray x = Waves.wave(0, 1, 2, 3, 2, 2);
    assertEquals(x, d.forward(Value.of(x)).data());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Dropout2d(0.5, 1).forward(Value.ones(2, 3)));
    assertTrue(e.getMessage().contains("Dropout2d") && e.getMessage().contains("[2, 3]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Dropout1d(1.01, 1));
  }

  /** p = 1 drops everything, as PyTorch's dropout, channel dropout and alpha dropout do (zeros, never NaN). */
  @Test
  void dropoutWithPOneGivesZeros() {
    NDArray x = Waves.wave(0, 1, 2, 3, 2, 2);
    for (Module d : new Module[] {new Dropout(1.0, 1), new Dropout2d(1.0, 1), new AlphaDropout(1.0, 1)}) {
      Value in = Value.of(x).requiresGrad(true);
      Value y = d.forward(in);
      assertTrue(y.data().allClose(NDArray.zeros(2, 3, 2, 2), 0, 0), d.toString());
      y.sum().backward();
      assertTrue(in.grad().allClose(NDArray.zeros(2, 3, 2, 2), 0, 0), d.toString());
    }
    assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.1, 1));
  }

  @Test
  void alphaDropoutKeepsMeanAndVarianceOfStandardNormals() {
    AlphaDropout d = new AlphaDropout(0.2, 5);
    NDArray x = NDArray.randn(new java.util.SplittableRandom(3), 200_000);
    double[] y = d.forward(Value.of(x)).data().toArray();
    double mean = java.util.Arrays.stream(y).average().orElseThrow();
    double var = java.util.Arrays.stream(y).map(v -> (v - mean) * (v - mean)).sum() / y.length;
    assertEquals(0.0, mean, 0.01);
    assertEquals(1.0, var, 0.015);
    // dropped elements all take the same value a·α' + b
    double a = 1 / Math.sqrt((1.7580993408473766 * 1.7580993408473766 * 0.2 + 1) * 0.8);
    double droppedValue = a * -1.7580993408473766 + a * 1.7580993408473766 * 0.2;
    long dropped = java.util.Arrays.stream(y).filter(v -> Math.abs(v - droppedValue) < 1e-12).count();
    assertEquals(0.2, dropped / 200_000.0, 0.01);
    d.eval();
    assertEquals(x, d.forward(Value.of(x)).data());
  }
}
