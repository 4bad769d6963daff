package dev.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.Value;
import dev.autograd.array.NDArray;
import dev.autograd.nn.optim.GradClip;
import dev.autograd.nn.optim.LrSchedule;
import dev.autograd.nn.optim.LrScheduler;
import dev.autograd.nn.optim.OneCycle;
import dev.autograd.nn.optim.ReduceLrOnPlateau;
import dev.autograd.nn.optim.SGD;
import java.util.List;
import java.util.function.DoubleFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Learning-rate schedules against PyTorch's lr_scheduler: the sequences are references from torch 1.13 (an SGD with
 * two groups of lr 1 and 0.5, the scheduler stepped once per epoch, group lrs read before each step), and gradient
 * clipping against hand-computed norms.
 */
class ScheduleTest {
  private static final double TOL = 1e-12;

  private static SGD twoGroups() {
    return SGD.builder(List.of(Value.zeros(1).requiresGrad(true))).lr(1.0)
        .group(List.of(Value.zeros(1).requiresGrad(true)), g -> g.lr(0.5)).build();
  }

  /** Both groups' rates over {@code epochs} epochs of a scheduler made per group from its initial lr. */
  private static void assertSequence(double[] first, double[] second, DoubleFunction<LrSchedule> perGroup) {
    SGD opt = twoGroups();
    LrScheduler s = LrScheduler.of(opt, perGroup);
    double[][] got = new double[2][first.length];
    for (int e = 0; e < first.length; e++) {
      got[0][e] = opt.paramGroups().get(0).lr();
      got[1][e] = opt.paramGroups().get(1).lr();
      assertEquals(List.of(got[0][e], got[1][e]), s.lastLr());
      s.step();
    }
    assertArrayEquals(first, got[0], 1e-10);
    assertArrayEquals(second, got[1], 1e-10);
  }

  @Test
  void multiStep() {
    // milestone 5 given twice counts twice: 0.5² from epoch 5 (after the first halving at 2)
    assertSequence(new double[] {1.0, 1.0, 0.5, 0.5, 0.5, 0.125, 0.125, 0.125},
        new double[] {0.5, 0.5, 0.25, 0.25, 0.25, 0.0625, 0.0625, 0.0625},
        lr -> LrSchedule.multiStep(lr, new int[] {2, 5, 5}, 0.5));
  }

  @Test
  void cosineAnnealingFollowsTheClosedFormPastItsEnd() {
    assertSequence(new double[] {1.0, 0.8681980515339464, 0.55, 0.23180194846605368, 0.1, 0.2318019484660536, 0.55,
        0.8681980515339467, 1.0000000000000004, 0.8681980515339468, 0.5500000000000004, 0.2318019484660541},
        new double[] {0.5, 0.4414213562373095, 0.30000000000000004, 0.15857864376269054, 0.1, 0.15857864376269049,
            0.30000000000000004, 0.4414213562373096, 0.5000000000000001, 0.4414213562373096, 0.30000000000000016,
            0.1585786437626907},
        lr -> LrSchedule.cosine(lr, 0.1, 4));
  }

  @Test
  void cosineWarmRestarts() {
    assertSequence(new double[] {1.0, 0.7525, 0.2575000000000001, 1.0, 0.9336825748732972, 0.7525, 0.505,
        0.2575000000000001, 0.07631742512670284, 1.0, 0.9831332840130887, 0.9336825748732972, 0.855017856687341,
        0.7525, 0.6331154273257478, 0.505},
        new double[] {0.5, 0.3775, 0.13250000000000006, 0.5, 0.4671762239271875, 0.3775, 0.255, 0.13250000000000006,
            0.04282377607281252, 0.5, 0.4916518274408217, 0.4671762239271875, 0.4282411613907041, 0.3775,
            0.3184106660501176, 0.255},
        lr -> LrSchedule.cosineWarmRestarts(lr, 3, 2, 0.01));
    assertSequence(new double[] {1.0, 0.75, 0.25, 1.0, 0.75, 0.25, 1.0, 0.75},
        new double[] {0.5, 0.375, 0.125, 0.5, 0.375, 0.125, 0.5, 0.375},
        lr -> LrSchedule.cosineWarmRestarts(lr, 3, 1, 0.0));
  }

  @Test
  void polynomial() {
    // lr·(1 − min(e, 4)/4)²
    assertSequence(new double[] {1.0, 0.5625, 0.25, 0.0625, 0.0, 0.0, 0.0},
        new double[] {0.5, 0.28125, 0.125, 0.03125, 0.0, 0.0, 0.0}, lr -> LrSchedule.polynomial(lr, 4, 2.0));
  }

  private static double[] rates(LrSchedule s, int n) {
    return IntStream.range(0, n).mapToDouble(s::rate).toArray();
  }

  @Test
  void oneCycle() {
    assertArrayEquals(new double[] {0.040000000000000036, 0.52, 1.0, 0.9504846320134737, 0.8117456539497631,
        0.6112620219362893, 0.38874197806371075, 0.18825834605023697, 0.049519367986526286, 4e-06},
        rates(OneCycle.builder(1.0, 10).build(), 10), TOL);
    assertArrayEquals(new double[] {0.02, 0.26, 0.5, 0.26, 0.020000000000000018, 0.017143142857142857,
        0.014286285714285715, 0.011429428571428571, 0.00857257142857143, 0.005715714285714284, 0.002858857142857142,
        1.9999999999985307e-06}, rates(OneCycle.builder(0.5, 12).threePhase(true).annealStrategy("linear")
        .pctStart(0.25).build(), 12), TOL);
    assertArrayEquals(new double[] {0.19999999999999996, 1.9635436762530476, 1.8382500167869489, 1.3460196893668865,
        0.7167569409555986, 0.20038779175391166, 0.002}, rates(OneCycle.builder(2.0, 7).divFactor(10)
        .finalDivFactor(100).build(), 7), TOL);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OneCycle.builder(1.0, 10).build().rate(11));
    assertTrue(e.getMessage().contains("11") && e.getMessage().contains("10"), e.getMessage());
  }

  private static void assertPlateau(double[] metrics, double[] first, double[] second,
      java.util.function.Function<SGD, ReduceLrOnPlateau> make) {
    SGD opt = SGD.builder(List.of(Value.zeros(1).requiresGrad(true))).lr(1.0)
        .group(List.of(Value.zeros(1).requiresGrad(true)), g -> g.lr(0.05)).build();
    ReduceLrOnPlateau s = make.apply(opt);
    for (int i = 0; i < metrics.length; i++) {
      s.step(metrics[i]);
      assertEquals(first[i], opt.paramGroups().get(0).lr(), TOL, "group 0 after epoch " + i);
      assertEquals(second[i], opt.paramGroups().get(1).lr(), TOL, "group 1 after epoch " + i);
    }
  }

  @Test
  void reduceOnPlateau() {
    // 0.99995 is no relative improvement of 1e-4 on 1.0; floors 0.2 and 0.01 per group
    assertPlateau(new double[] {1.0, 0.99995, 0.9, 0.9, 0.9, 0.95, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8},
        new double[] {1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.2},
        new double[] {0.05, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025, 0.0125, 0.0125, 0.0125, 0.01},
        opt -> ReduceLrOnPlateau.builder(opt).patience(2).factor(0.5).minLr(0.2, 0.01).build());
    assertPlateau(new double[] {1.0, 1.05, 1.1, 1.1, 1.1, 1.1, 1.1, 1.2, 1.2, 1.2, 1.2},
        new double[] {1.0, 1.0, 1.0, 1.0, 0.1, 0.1, 0.1, 0.1, 0.1, 0.010000000000000002, 0.010000000000000002},
        new double[] {0.05, 0.05, 0.05, 0.05, 0.005000000000000001, 0.005000000000000001, 0.005000000000000001,
            0.005000000000000001, 0.005000000000000001, 0.0005000000000000001, 0.0005000000000000001},
        opt -> ReduceLrOnPlateau.builder(opt).mode("max").threshold(0.06).thresholdMode("abs").patience(1)
            .cooldown(2).factor(0.1).build());
    assertPlateau(new double[] {Double.NaN, 1.0, 1.0, 1.0}, new double[] {0.5, 0.5, 0.25, 0.125},
        new double[] {0.025, 0.025, 0.0125, 0.00625},
        opt -> ReduceLrOnPlateau.builder(opt).patience(0).factor(0.5).build());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ReduceLrOnPlateau.builder(twoGroups()).factor(1.0).build());
    assertTrue(e.getMessage().contains("factor"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ReduceLrOnPlateau.builder(twoGroups()).minLr(0.1, 0.2, 0.3).build());
    assertTrue(e.getMessage().contains("one per group"), e.getMessage());
  }

  @Test
  void clippingByAnyNormReturnsTheTotalNorm() {
    double[][] cases = { // norm type, expected total norm of the gradients [3, −4] and [12]
        {2, 13}, {1, 19}, {Double.POSITIVE_INFINITY, 12}, {3, Math.cbrt(27 + 64 + 1728)}};
    for (double[] c : cases) {
      Value a = Value.zeros(2).requiresGrad(true);
      Value b = Value.zeros(1).requiresGrad(true);
      Value none = Value.zeros(1).requiresGrad(true); // no gradient: skipped
      a.setGrad(NDArray.of(3, -4));
      b.setGrad(NDArray.of(12));
      double norm = GradClip.byNorm(List.of(a, b, none), 1.0, c[0], true);
      assertEquals(c[1], norm, 1e-12, "norm type " + c[0]);
      double k = 1.0 / (c[1] + 1e-6);
      assertArrayEquals(new double[] {3 * k, -4 * k}, a.grad().toArray(), 1e-15);
      assertArrayEquals(new double[] {12 * k}, b.grad().toArray(), 1e-15);
      assertEquals(null, none.grad());
    }
    Value a = Value.zeros(2).requiresGrad(true);
    assertEquals(0.0, GradClip.byNorm(List.of(a), 1.0, 2, true)); // no gradients at all
    a.setGrad(NDArray.of(1e200, 1e200)); // no overflow in the sum of squares
    assertEquals(Math.sqrt(2) * 1e200, GradClip.byGlobalNorm(List.of(a), 1e300), 1e186);
    a.setGrad(NDArray.of(Double.NaN, 1));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> GradClip.byNorm(List.of(a), 1.0, 2, true));
    assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
    assertTrue(Double.isNaN(GradClip.byNorm(List.of(a), 1.0, 2, false)));
    assertTrue(Double.isNaN(a.grad().get(1)), "as PyTorch, a NaN norm makes every gradient NaN");
    a.setGrad(NDArray.of(Double.POSITIVE_INFINITY, 1));
    assertEquals(Double.POSITIVE_INFINITY, GradClip.byNorm(List.of(a), 1.0, 1, false));
    assertEquals(0.0, a.grad().get(1), "an infinite norm zeroes the finite gradients");
    assertThrows(IllegalArgumentException.class, () -> GradClip.byNorm(List.of(a), -1, 2, false));
    assertThrows(IllegalArgumentException.class, () -> GradClip.byNorm(List.of(a), 1, 0, false));
  }
}
