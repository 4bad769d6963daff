package dev.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.Value;
import dev.autograd.array.NDArray;
import dev.autograd.nn.optim.Adagrad;
import dev.autograd.nn.optim.Adam;
import dev.autograd.nn.optim.Adamax;
import dev.autograd.nn.optim.LBFGS;
import dev.autograd.nn.optim.NAdam;
import dev.autograd.nn.optim.Optimizer;
import dev.autograd.nn.optim.RAdam;
import dev.autograd.nn.optim.RMSProp;
import dev.autograd.nn.optim.SGD;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every optimizer and option over several steps, with a parameter that has no gradient on steps 2 and 3 (PyTorch
 * skips it and its own step count does not advance). The expected parameters are references from torch 1.13
 * (float64, the same gradient sequence set on p.grad by hand; the script is described at {@link #run}); NAdam's are
 * computed in the test from the formula, since torch 1.13's NAdam has a bug fixed in 2.0 (see {@link NAdam}).
 */
class OptimizerParityTest {
  private static final double TOL = 1e-12;

  /**
   * p = [1, −2] and q = [0.5]; at step k (from 1) p.grad = [0.5 − 0.1k, 0.3k − 1] + 0.2·p and q.grad =
   * [1 − 0.25k] + 0.1·q, except no gradient for q at steps 2 and 3. Returns p and q after the steps.
   */
  private static double[][] run(Function<List<Value>, Optimizer> make, int steps) {
    Value p = Value.of(1.0, -2.0).requiresGrad(true);
    Value q = Value.of(0.5).requiresGrad(true);
    Optimizer opt = make.apply(List.of(p, q));
    for (int k = 1; k <= steps; k++) {
      double[] pd = p.data().toArray();
      p.setGrad(NDArray.of((0.5 - 0.1 * k) + 0.2 * pd[0], (0.3 * k - 1.0) + 0.2 * pd[1]));
      if (k == 2 || k == 3) {
        q.zeroGrad();
      } else {
        q.setGrad(NDArray.of((1.0 - 0.25 * k) + 0.1 * q.item()));
      }
      opt.step();
    }
    return new double[][] {p.data().toArray(), q.data().toArray()};
  }

  private static void assertRun(double[] p, double[] q, Function<List<Value>, Optimizer> make, int steps) {
    double[][] got = run(make, steps);
    assertArrayEquals(p, got[0], TOL, "p");
    assertArrayEquals(q, got[1], TOL, "q");
  }

  @Test
  void sgdWithDampeningAndNesterov() {
    assertRun(new double[] {0.413934496471574, -1.1762414815526212}, new double[] {0.2753893947679064},
        ps -> SGD.builder(ps).lr(0.1).momentum(0.9).dampening(0.3).weightDecay(0.01).build(), 6);
    assertRun(new double[] {0.31714403750729064, -1.150473797141825}, new double[] {0.3399372783254999},
        ps -> SGD.builder(ps).lr(0.1).momentum(0.8).nesterov(true).weightDecay(0.05).build(), 6);
  }

  @Test
  void adamAndAdamWWithAmsgrad() {
    assertRun(new double[] {0.4619851483717052, -1.5275400422414263}, new double[] {0.30514657820914654},
        ps -> Adam.builder(ps).lr(0.1).betas(0.8, 0.9).amsgrad(true).weightDecay(0.1).build(), 6);
    assertRun(new double[] {0.43219010534805186, -1.4696657306893968}, new double[] {0.307670928254092},
        ps -> Adam.adamW(ps).lr(0.1).betas(0.8, 0.9).amsgrad(true).weightDecay(0.1).build(), 6);
  }

  @Test
  void centeredRmsProp() {
    assertRun(new double[] {0.8080388256265504, -1.8521629103549904}, new double[] {0.45603790445269515},
        ps -> RMSProp.builder(ps).lr(0.01).alpha(0.9).centered(true).momentum(0.5).weightDecay(0.1).build(), 6);
    assertRun(new double[] {0.899674082833446, -1.941269052110025}, new double[] {0.49037537233308814},
        ps -> RMSProp.builder(ps).lr(0.01).alpha(0.9).centered(true).build(), 6);
  }

  @Test
  void adagradAdamaxAndRAdam() {
    assertRun(new double[] {0.772185082284523, -1.8105536302916345}, new double[] {0.45312511814273454},
        ps -> Adagrad.builder(ps).lr(0.1).lrDecay(0.05).initialAccumulatorValue(0.2).weightDecay(0.1).build(), 6);
    assertRun(new double[] {0.45585050639933067, -1.5465981994968674}, new double[] {0.32456130619298584},
        ps -> Adamax.builder(ps).lr(0.1).betas(0.8, 0.9).weightDecay(0.1).build(), 6);
    // β₂ = 0.9: ρ∞ = 19, so the first steps are un-rectified momentum steps and the later ones rectified
    assertRun(new double[] {0.6595569410395751, -1.5467623634265226}, new double[] {0.3962720911133268},
        ps -> RAdam.builder(ps).lr(0.1).betas(0.8, 0.9).weightDecay(0.1).build(), 8);
    assertRun(new double[] {0.7544192994438762, -1.6237194075638242}, new double[] {0.38318840216161715},
        ps -> RAdam.builder(ps).lr(0.1).build(), 8);
  }

  @Test
  void nadamFollowsThePaperAndPyTorch2() {
    double lr = 0.1;
    double b1 = 0.8;
    double b2 = 0.9;
    double psi = 4e-3;
    double wd = 0.1;
    double[] x = {1.0, -2.0, 0.5}; // p's two elements, then q
    double[] m = new double[3];
    double[] v = new double[3];
    double[] prod = {1, 1, 1};
    int[] t = new int[3];
    for (int k = 1; k <= 6; k++) {
      double[] g = {(0.5 - 0.1 * k) + 0.2 * x[0], (0.3 * k - 1.0) + 0.2 * x[1], (1.0 - 0.25 * k) + 0.1 * x[2]};
      for (int i = 0; i < 3; i++) {
        if (i == 2 && (k == 2 || k == 3)) {
          continue;
        }
        int s = ++t[i];
        double gi = g[i] + wd * x[i];
        double mu = b1 * (1 - 0.5 * Math.pow(0.96, s * psi));
        double muNext = b1 * (1 - 0.5 * Math.pow(0.96, (s + 1) * psi));
        prod[i] *= mu;
        m[i] = b1 * m[i] + (1 - b1) * gi;
        v[i] = b2 * v[i] + (1 - b2) * gi * gi;
        double denom = Math.sqrt(v[i] / (1 - Math.pow(b2, s))) + 1e-8;
        x[i] -= lr * (1 - mu) / (1 - prod[i]) * gi / denom + lr * muNext / (1 - prod[i] * muNext) * m[i] / denom;
      }
    }
    assertRun(new double[] {x[0], x[1]}, new double[] {x[2]},
        ps -> NAdam.builder(ps).lr(lr).betas(b1, b2).momentumDecay(psi).weightDecay(wd).build(), 6);
  }

  @Test
  void parameterGroupsHaveTheirOwnHyperParameters() {
    // torch: SGD([{'params': [p]}, {'params': [q], 'lr': 0.5, 'momentum': 0, 'weight_decay': 0.2}], lr=0.1,
    // momentum=0.9)
    assertRun(new double[] {0.3070353809919999, -1.0877740843519996}, new double[] {0.38695625},
        ps -> SGD.builder(List.of(ps.get(0))).lr(0.1).momentum(0.9)
            .group(List.of(ps.get(1)), g -> g.lr(0.5).momentum(0).weightDecay(0.2)).build(), 6);
    Value a = Value.of(1.0).requiresGrad(true);
    Value b = Value.of(1.0).requiresGrad(true);
    Adam adam = Adam.builder(List.of(a)).lr(0.1).group(List.of(b), g -> g.lr(0.01)).build();
    assertEquals(2, adam.paramGroups().size());
    assertEquals(0.01, adam.paramGroups().get(1).lr());
    a.setGrad(NDArray.of(1.0));
    b.setGrad(NDArray.of(1.0));
    adam.step(); // a first Adam step moves each parameter by its group's lr
    assertEquals(0.9, a.item(), 1e-7);
    assertEquals(0.99, b.item(), 1e-7);
    adam.paramGroups().get(1).setLr(0.5);
    assertEquals(0.1, adam.learningRate());
  }

  @Test
  void stepWithAClosureEvaluatesThenSteps() {
    Value x = Value.of(3.0).requiresGrad(true);
    SGD sgd = SGD.builder(List.of(x)).lr(0.25).build();
    Value loss = sgd.step(() -> {
      sgd.zeroGrad();
      Value l = x.pow(2);
      l.backward();
      return l;
    });
    assertEquals(9.0, loss.item()); // the loss before the step, as PyTorch returns it
    assertEquals(3.0 - 0.25 * 6.0, x.item(), 1e-15);
  }

  @Test
  void badGroupsAreRejected() {
    Value a = Value.of(1.0).requiresGrad(true);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SGD.builder(List.of(a)).group(List.of(a), g -> g.lr(1)).build());
    assertTrue(e.getMessage().contains("more than one parameter group"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> SGD.builder(List.of(a)).group(List.of(), g -> g.lr(1)).build());
    assertTrue(e.getMessage().contains("group 1 has no parameters"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SGD.builder(List.of(a)).lr(0.1)
        .group(List.of(Value.of(2.0)), g -> g.momentum(2)).build());
    assertTrue(e.getMessage().contains("momentum"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SGD.builder(List.of(a)).momentum(0.9).dampening(0.1)
        .nesterov(true).build());
    assertTrue(e.getMessage().contains("zero dampening"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LBFGS.builder(List.of(a))
        .group(List.of(Value.of(2.0)), g -> g.lr(1)).build());
    assertTrue(e.getMessage().contains("parameter groups"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LBFGS.builder(List.of(a)).lineSearchFn("armijo").build());
    assertTrue(e.getMessage().contains("strong_wolfe"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> LBFGS.builder(List.of(a)).build().step());
  }

  /** Three steps, a save, then three more steps on the original and on a fresh copy loaded from the state. */
  private static void assertResumesIdentically(Function<List<Value>, Optimizer> make) {
    Value p = Value.of(1.0, -2.0).requiresGrad(true);
    Value q = Value.of(0.5).requiresGrad(true);
    Optimizer opt = make.apply(List.of(p, q));
    for (int k = 1; k <= 3; k++) {
      p.setGrad(NDArray.of(0.3 * k, -0.2 + p.data().get(0) * 0.1));
      q.setGrad(k == 2 ? null : NDArray.of(1.0 - 0.25 * k));
      opt.step();
    }
    Map<String, NDArray> state = opt.stateDict();
    Value p2 = Value.of(p.data().copy()).requiresGrad(true);
    Value q2 = Value.of(q.data().copy()).requiresGrad(true);
    Optimizer resumed = make.apply(List.of(p2, q2));
    resumed.loadStateDict(state);
    for (int k = 4; k <= 6; k++) {
      for (Object[] pair : new Object[][] {{opt, p, q}, {resumed, p2, q2}}) {
        ((Value) pair[1]).setGrad(NDArray.of(0.3 * k, -0.2));
        ((Value) pair[2]).setGrad(NDArray.of(1.0 - 0.25 * k));
        ((Optimizer) pair[0]).step();
      }
    }
    assertArrayEquals(p.data().toArray(), p2.data().toArray(), 0.0);
    assertArrayEquals(q.data().toArray(), q2.data().toArray(), 0.0);
  }

  @Test
  void everyOptimizersStateRoundTrips() {
    assertResumesIdentically(ps -> SGD.builder(ps).lr(0.1).momentum(0.9).dampening(0.2).build());
    assertResumesIdentically(ps -> Adam.builder(ps).lr(0.1).amsgrad(true).build());
    assertResumesIdentically(ps -> RMSProp.builder(ps).lr(0.01).centered(true).momentum(0.3).build());
    assertResumesIdentically(ps -> Adagrad.builder(ps).lr(0.1).lrDecay(0.01).build());
    assertResumesIdentically(ps -> Adamax.builder(ps).lr(0.1).build());
    assertResumesIdentically(ps -> NAdam.builder(ps).lr(0.1).build());
    assertResumesIdentically(ps -> RAdam.builder(ps).lr(0.1).betas(0.8, 0.9).build());
    // per-group learning rates are part of the state
    assertResumesIdentically(ps -> {
      SGD sgd = SGD.builder(List.of(ps.get(0))).lr(0.1).group(List.of(ps.get(1)), g -> g.lr(0.3)).build();
      if (ps.get(0).data().get(0) == 1.0) { // the original: a schedule changed the second group's rate before the save
        sgd.paramGroups().get(1).setLr(0.05);
      }
      return sgd;
    });
  }

  @Test
  void aStateFromBeforeGroupsGivesEveryGroupItsRate() {
    Value a = Value.of(1.0).requiresGrad(true);
    Value b = Value.of(1.0).requiresGrad(true);
    SGD sgd = SGD.builder(List.of(a)).lr(0.1).group(List.of(b), g -> g.lr(0.2)).build();
    sgd.loadStateDict(Map.of("step", NDArray.scalar(2), "lr", NDArray.scalar(0.05)));
    assertEquals(0.05, sgd.paramGroups().get(0).lr());
    assertEquals(0.05, sgd.paramGroups().get(1).lr());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sgd.loadStateDict(Map.of(
        "step", NDArray.scalar(2), "lr", NDArray.scalar(0.05), "groupLr", NDArray.of(0.1, 0.2, 0.3))));
    assertTrue(e.getMessage().contains("groupLr") && e.getMessage().contains("2 parameter groups"), e.getMessage());
    assertEquals(0.05, sgd.paramGroups().get(1).lr(), "a refused state changes nothing");
  }

  @Test
  void stateKeysFollowTheKindScheme() {
    Value p = Value.of(1.0, 2.0).requiresGrad(true);
    p.setGrad(NDArray.of(0.1, 0.2));
    Adam adam = Adam.builder(List.of(p)).amsgrad(true).build();
    adam.step();
    Map<String, NDArray> s = adam.stateDict();
    assertTrue(s.keySet().containsAll(List.of("step", "lr", "groupLr", "parameterSteps", "optimizer.Adam", "m.0",
        "v.0", "max_exp_avg_sq.0")), s.keySet().toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NAdam.builder(List.of(p)).build().loadStateDict(s));
    assertTrue(e.getMessage().contains("Adam") && e.getMessage().contains("NAdam"), e.getMessage());
  }
}
