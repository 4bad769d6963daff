package dev.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.Value;
import dev.autograd.array.NDArray;
import dev.autograd.nn.io.Checkpoint;
import dev.autograd.nn.optim.LBFGS;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * L-BFGS on the Rosenbrock function from (−1.5, 2), against PyTorch's iterates: the expected numbers are references
 * from torch 1.13 ({@code torch.optim.LBFGS} in float64 with the same options, the closure zeroing the gradient,
 * evaluating (1 − x)² + 100(y − x²)² and calling backward).
 */
class LbfgsTest {
  private static Value rosenbrock(Value x) {
    Value a = x.indexSelect(0, 0).reshape();
    Value b = x.indexSelect(0, 1).reshape();
    return a.neg().add(1).pow(2).add(b.sub(a.pow(2)).pow(2).mul(100));
  }

  private static Supplier<Value> closure(LBFGS opt, Value x) {
    return () -> {
      opt.zeroGrad();
      Value loss = rosenbrock(x);
      loss.backward();
      return loss;
    };
  }

  @Test
  void strongWolfeIteratesMatchPyTorch() {
    Value x = Value.of(-1.5, 2.0).requiresGrad(true);
    LBFGS opt = LBFGS.builder(List.of(x)).lr(1).maxIter(1).historySize(10).lineSearchFn("strong_wolfe").build();
    double[][] expected = {{-1.4172551712244599, 2.026691880250174}, {-1.4200404011339869, 2.024868214861027},
        {-1.4201365045001701, 2.023710425144713}, {-1.4190151739012853, 2.015228881713949},
        {-1.4142309487677067, 1.9949020404366438}, {-1.3967406364678434, 1.933623332355145},
        {-1.3536960480482623, 1.797732747257609}, {-1.2871832369443887, 1.6054850151939202}};
    for (double[] e : expected) {
      opt.step(closure(opt, x));
      assertArrayEquals(e, x.data().toArray(), 1e-10);
    }
    assertEquals(17, opt.functionEvaluations());
    assertEquals(8, opt.iterations());
  }

  @Test
  void fixedStepIteratesMatchPyTorch() {
    Value x = Value.of(-1.5, 2.0).requiresGrad(true);
    LBFGS opt = LBFGS.builder(List.of(x)).lr(0.001).maxIter(1).historySize(10).build();
    double[][] expected = {{-1.4992439024390245, 2.000243902439024}, {-1.499170639156269, 2.0002679310140126},
        {-1.4990975049212416, 2.0002922995561363}, {-1.4990245418097703, 2.000316990103712},
        {-1.4989517486565522, 2.0003419989034357}, {-1.4988791243054271, 2.0003673222257614},
        {-1.4988066676066185, 2.0003929563656695}, {-1.4987343774167077, 2.00041889764252}};
    for (double[] e : expected) {
      opt.step(closure(opt, x));
      assertArrayEquals(e, x.data().toArray(), 1e-12);
    }
    assertEquals(8, opt.functionEvaluations());
  }

  @Test
  void oneDefaultStepStopsAtMaxEvalAndReturnsTheFirstLoss() {
    Value x = Value.of(-1.5, 2.0).requiresGrad(true);
    LBFGS opt = LBFGS.builder(List.of(x)).lineSearchFn("strong_wolfe").build();
    Value first = opt.step(closure(opt, x));
    assertEquals(12.5, first.item(), 1e-12); // the loss at the starting point
    assertArrayEquals(new double[] {-0.08511855589860293, -0.028757058413769698}, x.data().toArray(), 1e-9);
    assertEquals(25, opt.functionEvaluations()); // maxEval = 20·5/4
    assertEquals(19, opt.iterations());
  }

  @Test
  void minimisesRosenbrockTo1e8() {
    Value x = Value.of(-1.5, 2.0).requiresGrad(true);
    LBFGS opt = LBFGS.builder(List.of(x)).lr(1).maxIter(100).historySize(10).lineSearchFn("strong_wolfe")
        .toleranceGrad(1e-10).toleranceChange(1e-14).build();
    for (int i = 0; i < 3; i++) {
      opt.step(closure(opt, x));
    }
    assertTrue(rosenbrock(x).item() < 1e-8, "loss " + rosenbrock(x).item());
    assertArrayEquals(new double[] {1, 1}, x.data().toArray(), 1e-4);
    // torch 1.13 needs 44 iterations and 54 evaluations, ending at a loss of 4.4e-17, from the same start
    assertTrue(opt.iterations() <= 60, "iterations " + opt.iterations());
  }

  @Test
  void stateRoundTripsThroughACheckpoint(@TempDir Path dir) throws Exception {
    Value x = Value.of(-1.5, 2.0).requiresGrad(true);
    Sequential model = new Sequential(); // a model without parameters: the checkpoint carries the optimizer only
    LBFGS opt = LBFGS.builder(List.of(x)).maxIter(3).historySize(2).lineSearchFn("strong_wolfe").build();
    opt.step(closure(opt, x));
    opt.step(closure(opt, x));
    Map<String, NDArray> state = opt.stateDict();
    assertTrue(state.containsKey("lbfgs.old_dirs") && state.containsKey("optimizer.LBFGS"), state.keySet().toString());
    Path file = dir.resolve("lbfgs.safetensors");
    Checkpoint.save(file, model, opt);
    Value y = Value.of(x.data().copy()).requiresGrad(true);
    LBFGS resumed = LBFGS.builder(List.of(y)).maxIter(3).historySize(2).lineSearchFn("strong_wolfe").build();
    Checkpoint.load(file, model, resumed);
    opt.step(closure(opt, x));
    resumed.step(closure(resumed, y));
    assertArrayEquals(x.data().toArray(), y.data().toArray(), 0.0);
    assertEquals(opt.functionEvaluations(), resumed.functionEvaluations());
    // a history longer than this optimizer keeps is refused, and nothing changes
    LBFGS small = LBFGS.builder(List.of(Value.of(0.0, 0.0).requiresGrad(true))).historySize(1).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> small.loadStateDict(state));
    assertTrue(e.getMessage().contains("historySize"), e.getMessage());
    assertEquals(0, small.iterations());
    assertTrue(Files.size(file) > 0);
  }
}
