package dev.autograd;

import dev.autograd.array.NDArray;
import dev.autograd.array.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random shapes, broadcasting pairs and compositions of ops, checked against finite differences. Seeds are fixed so
 * CI is deterministic; jqwik prints the seed and the shrunk sample of any failure, and {@code @Property(seed = ...)}
 * replays it. To explore new cases locally, change or drop a seed.
 */
class GradientProperties {
  private static final GradCheck CHECK = GradCheck.create();

  /** A shape of rank 0..3 with dimensions 1..3, and a shape that broadcasts with it. */
  record ShapePair(int[] a, int[] b) {
    @Override
    public String toString() {
      return Shapes.format(a) + " with " + Shapes.format(b);
    }
  }

  @Provide
  Arbitrary<ShapePair> broadcastPairs() {
    Arbitrary<int[]> shapes = Arbitraries.integers().between(1, 3).list().ofMaxSize(3)
        .map(l -> l.stream().mapToInt(Integer::intValue).toArray());
    return shapes.flatMap(a -> Combinators.combine(
            Arbitraries.integers().between(0, a.length),
            Arbitraries.of(true, false).list().ofSize(a.length),
            Arbitraries.of(true, false))
        .as((drop, ones, swap) -> {
          int[] b = Arrays.copyOfRange(a, drop, a.length);
          for (int i = 0; i < b.length; i++) {
            b[i] = ones.get(i + drop) ? 1 : b[i];
          }
          return swap ? new ShapePair(b, a) : new ShapePair(a, b);
        }));
  }

  /** Values for a shape, within [low, high], shrinking towards simple numbers. */
  private static Arbitrary<NDArray> values(int[] shape, double low, double high) {
    return Arbitraries.doubles().between(low, high).ofScale(3).list().ofSize(Shapes.size(shape))
        .map(l -> NDArray.fromFlat(l.stream().mapToDouble(Double::doubleValue).toArray(), shape));
  }

  /** Values bounded away from zero: magnitudes in [0.5, 2] with either sign. */
  private static Arbitrary<NDArray> nonZero(int[] shape) {
    return values(shape, 0.5, 2).flatMap(m -> Arbitraries.of(1.0, -1.0).list().ofSize(m.size())
        .map(signs -> m.mul(NDArray.fromFlat(signs.stream().mapToDouble(Double::doubleValue).toArray(), m.shape()))));
  }

  record BinaryCase(String op, NDArray a, NDArray b) {}

  @Provide
  Arbitrary<BinaryCase> binaryCases() {
    return broadcastPairs().flatMap(p -> Arbitraries.of("add", "sub", "mul", "div", "maximum", "minimum", "pow",
        "matmulLike").flatMap(op -> switch (op) {
          case "div" -> Combinators.combine(values(p.a(), -2, 2), nonZero(p.b())).as((x, y) -> new BinaryCase(op, x, y));
          case "pow" -> Combinators.combine(values(p.a(), 0.5, 2), values(p.b(), -2, 2))
              .as((x, y) -> new BinaryCase(op, x, y));
          default -> Combinators.combine(values(p.a(), -2, 2), values(p.b(), -2, 2))
              .as((x, y) -> new BinaryCase(op, x, y));
        }));
  }

  private static Value applyBinary(String op, Value a, Value b) {
    return switch (op) {
      case "add" -> a.add(b);
      case "sub" -> a.sub(b);
      case "mul" -> a.mul(b);
      case "div" -> a.div(b);
      case "maximum" -> a.maximum(b);
      case "minimum" -> a.minimum(b);
      case "pow" -> a.pow(b);
      case "matmulLike" -> a.mul(b).tanh().sum(new int[0], false); // broadcast then reduce everything
      default -> throw new IllegalArgumentException(op);
    };
  }

  @Property(tries = 60, seed = "20261122")
  void broadcastingBinaryOpsHaveCorrectGradients(@ForAll("binaryCases") BinaryCase c) {
    CHECK.verify(xs -> applyBinary(c.op(), xs[0], xs[1]), c.a(), c.b());
  }

  /** A chain of smooth unary steps, each allowed on any shape. */
  record Composition(List<String> steps, NDArray input) {}

  private static final List<String> STEPS = List.of("tanh", "sigmoid", "softplus", "square", "scale", "shift",
      "exp-of-tanh", "sumKeep", "meanLast", "logSoftmaxLast", "softmaxFirst", "transposeIfMatrix", "flatten", "self-mul",
      "logSumExpKeep", "sqrt-of-softplus");

  @Provide
  Arbitrary<Composition> compositions() {
    Arbitrary<int[]> shapes = Arbitraries.integers().between(1, 3).list().ofMinSize(1).ofMaxSize(3)
        .map(l -> l.stream().mapToInt(Integer::intValue).toArray());
    Arbitrary<List<String>> steps = Arbitraries.of(STEPS).list().ofMinSize(1).ofMaxSize(5);
    return Combinators.combine(steps, shapes.flatMap(s -> values(s, -2, 2))).as(Composition::new);
  }

  private static Value applySteps(List<String> steps, Value x) {
    Value v = x;
    for (String step : steps) {
      v = switch (step) {
        case "tanh" -> v.tanh();
        case "sigmoid" -> v.sigmoid();
        case "softplus" -> v.softplus();
        case "square" -> v.pow(2);
        case "scale" -> v.mul(-1.7);
        case "shift" -> v.add(0.3);
        case "exp-of-tanh" -> v.tanh().exp();
        case "sumKeep" -> v.rank() == 0 ? v : v.sum(new int[] {0}, true);
        case "meanLast" -> v.rank() == 0 ? v : v.mean(new int[] {-1}, false);
        case "logSoftmaxLast" -> v.rank() == 0 ? v : v.logSoftmax(-1);
        case "softmaxFirst" -> v.rank() == 0 ? v : v.softmax(0);
        case "transposeIfMatrix" -> v.rank() >= 2 ? v.transpose() : v;
        case "flatten" -> v.reshape(-1);
        case "self-mul" -> v.mul(v.tanh());
        case "logSumExpKeep" -> v.rank() == 0 ? v : v.logSumExp(new int[] {v.rank() - 1}, true);
        case "sqrt-of-softplus" -> v.softplus().add(0.1).sqrt();
        default -> throw new IllegalArgumentException(step);
      };
    }
    return v;
  }

  @Property(tries = 60, seed = "4242")
  void randomCompositionsHaveCorrectFirstDerivatives(@ForAll("compositions") Composition c) {
    CHECK.verify(xs -> applySteps(c.steps(), xs[0]), c.input());
  }

  @Property(tries = 25, seed = "777")
  void randomCompositionsHaveCorrectSecondDerivatives(@ForAll("compositions") Composition c) {
    CHECK.verifySecondOrder(xs -> applySteps(c.steps(), xs[0]), c.input());
  }

  record Reduction(String op, int[] axes, boolean keepDims, NDArray input) {}

  @Provide
  Arbitrary<Reduction> reductions() {
    Arbitrary<int[]> shapes = Arbitraries.integers().between(1, 3).list().ofMinSize(1).ofMaxSize(4)
        .map(l -> l.stream().mapToInt(Integer::intValue).toArray());
    return shapes.flatMap(s -> Combinators.combine(
        Arbitraries.of("sum", "mean", "max", "min", "logSumExp"),
        Arbitraries.of(true, false).list().ofSize(s.length),
        Arbitraries.of(true, false),
        values(s, -2, 2)).as((op, chosen, keep, x) -> {
          List<Integer> axes = new ArrayList<>();
          for (int i = 0; i < s.length; i++) {
            if (chosen.get(i)) {
              axes.add(i);
            }
          }
          return new Reduction(op, axes.stream().mapToInt(Integer::intValue).toArray(), keep, x);
        }));
  }

  @Property(tries = 60, seed = "99")
  void reductionsOverRandomAxesHaveCorrectGradients(@ForAll("reductions") Reduction r) {
    CHECK.verify(xs -> switch (r.op()) {
      case "sum" -> xs[0].sum(r.axes(), r.keepDims());
      case "mean" -> xs[0].mean(r.axes(), r.keepDims());
      case "max" -> xs[0].max(r.axes(), r.keepDims());
      case "min" -> xs[0].min(r.axes(), r.keepDims());
      default -> xs[0].logSumExp(r.axes(), r.keepDims());
    }, r.input());
  }
}
