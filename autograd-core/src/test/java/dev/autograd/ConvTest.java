package dev.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autograd.array.NDArray;
import dev.autograd.array.Shapes;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Forward values of {@link Conv} against direct loops written from the definitions, against PyTorch's results
 * ({@link ConvTorchGolden}), and the adjointness of unfold and fold. Gradients are checked by {@link OpGradientTest}.
 */
class ConvTest {
  private static final double TOL = 1e-12;

  /** Exactly representable inputs, as the PyTorch script builds them: ((i·mul) mod m − m/2) / 4. */
  static NDArray pattern(int mul, int mod, int... shape) {
    double[] d = new double[Shapes.size(shape)];
    for (int i = 0; i < d.length; i++) {
      d[i] = ((i * (long) mul) % mod - mod / 2) / 4.0;
    }
    return NDArray.fromFlat(d, shape);
  }

  private static NDArray input(int... shape) {
    return pattern(37, 17, shape);
  }

  // ------------------------------------------------------------------ PyTorch

  /** Runs {@code f} on leaves, backpropagates the pattern seed and compares output and gradients with PyTorch's. */
  private static void assertTorch(String name, Function<Value[], Value> f, double[] out, List<double[]> grads,
      NDArray... inputs) {
    Value[] xs = new Value[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      xs[i] = Value.of(inputs[i]).requiresGrad(true);
    }
    Value y = f.apply(xs);
    assertArrayEquals(out, y.data().toArray(), TOL, name + " output");
    y.backward(pattern(5, 7, y.shape()));
    for (int i = 0; i < inputs.length; i++) {
      assertArrayEquals(grads.get(i), xs[i].grad().toArray(), TOL, name + " gradient of input " + i);
    }
  }

  @Test
  void convolutionsMatchPyTorch() {
    ConvOptions o = ConvOptions.builder().stride(2, 1).padding(1, 2).dilation(1, 2).groups(2).build();
    assertTorch("conv2d", x -> Conv.conv2d(x[0], x[1], x[2], o), ConvTorchGolden.CONV2D_OUT,
        List.of(ConvTorchGolden.CONV2D_G0, ConvTorchGolden.CONV2D_G1, ConvTorchGolden.CONV2D_G2), input(2, 4, 4, 5),
        pattern(11, 13, 4, 2, 3, 2), pattern(3, 5, 4));
    ConvOptions t = ConvOptions.builder().stride(2, 1).padding(1, 0).outputPadding(1, 0).groups(2).dilation(1, 2)
        .build();
    assertTorch("convTranspose2d", x -> Conv.convTranspose2d(x[0], x[1], x[2], t), ConvTorchGolden.CONVT_OUT,
        List.of(ConvTorchGolden.CONVT_G0, ConvTorchGolden.CONVT_G1, ConvTorchGolden.CONVT_G2), input(1, 4, 3, 2),
        pattern(11, 13, 4, 1, 3, 2), pattern(3, 5, 2));
    ConvOptions dil = ConvOptions.builder().padding(1).outputPadding(1).dilation(2).build();
    assertTorch("convTranspose2d, output padding below the dilation", x -> Conv.convTranspose2d(x[0], x[1], null, dil),
        ConvTorchGolden.CONVT_OPDIL_OUT, List.of(ConvTorchGolden.CONVT_OPDIL_G0, ConvTorchGolden.CONVT_OPDIL_G1),
        input(1, 1, 3, 3), pattern(11, 13, 1, 2, 2, 2));
    ConvOptions one = ConvOptions.builder().stride(2).padding(1).dilation(2).build();
    assertTorch("conv1d", x -> Conv.conv1d(x[0], x[1], x[2], one), ConvTorchGolden.CONV1D_OUT,
        List.of(ConvTorchGolden.CONV1D_G0, ConvTorchGolden.CONV1D_G1, ConvTorchGolden.CONV1D_G2), input(2, 2, 7),
        pattern(11, 13, 3, 2, 2), pattern(3, 5, 3));
  }

  @Test
  void poolingMatchesPyTorchIncludingTiesCeilModeAndDivisors() {
    PoolOptions ceil = PoolOptions.builder(3).stride(2).padding(1).ceilMode(true).build();
    assertTorch("maxPool2d, ceil mode", x -> Conv.maxPool2d(x[0], ceil), ConvTorchGolden.MAXPOOL_CEIL_OUT,
        List.of(ConvTorchGolden.MAXPOOL_CEIL_G0), input(1, 2, 5, 6));
    PoolOptions dil = PoolOptions.builder(2).stride(1).padding(1).dilation(2).build();
    assertTorch("maxPool2d, dilation", x -> Conv.maxPool2d(x[0], dil), ConvTorchGolden.MAXPOOL_DIL_OUT,
        List.of(ConvTorchGolden.MAXPOOL_DIL_G0), input(1, 1, 4, 5));
    PoolOptions allPadding = PoolOptions.builder(2).stride(1).padding(1).dilation(3).build();
    assertTorch("maxPool2d, a window of padding only", x -> Conv.maxPool2d(x[0], allPadding),
        ConvTorchGolden.MAXPOOL_ALLPAD_OUT, List.of(ConvTorchGolden.MAXPOOL_ALLPAD_G0), input(1, 1, 2, 2));
    PoolOptions avg = PoolOptions.builder(3).stride(2).padding(1).ceilMode(true).build();
    assertTorch("avgPool2d, padding counted", x -> Conv.avgPool2d(x[0], avg), ConvTorchGolden.AVGPOOL_INC_OUT,
        List.of(ConvTorchGolden.AVGPOOL_INC_G0), input(1, 1, 5, 6));
    PoolOptions exclude = PoolOptions.builder(3).stride(2).padding(1).ceilMode(true).countIncludePad(false).build();
    assertTorch("avgPool2d, padding not counted", x -> Conv.avgPool2d(x[0], exclude), ConvTorchGolden.AVGPOOL_EXC_OUT,
        List.of(ConvTorchGolden.AVGPOOL_EXC_G0), input(1, 1, 5, 6));
    PoolOptions avg1 = PoolOptions.builder(2).stride(2).padding(1).ceilMode(true).build();
    assertTorch("avgPool1d", x -> Conv.avgPool1d(x[0], avg1), ConvTorchGolden.AVGPOOL1D_OUT,
        List.of(ConvTorchGolden.AVGPOOL1D_G0), input(1, 2, 5));
    PoolOptions max1 = PoolOptions.builder(3).stride(2).padding(1).ceilMode(true).build();
    assertTorch("maxPool1d", x -> Conv.maxPool1d(x[0], max1), ConvTorchGolden.MAXPOOL1D_OUT,
        List.of(ConvTorchGolden.MAXPOOL1D_G0), input(1, 2, 6));
  }

  @Test
  void unfoldAndFoldMatchPyTorch() {
    ConvOptions o = ConvOptions.builder().dilation(1, 2).padding(1).stride(2, 1).build();
    assertTorch("unfold", x -> Conv.unfold(x[0], 2, 3, o), ConvTorchGolden.UNFOLD_OUT,
        List.of(ConvTorchGolden.UNFOLD_G0), input(1, 2, 3, 4));
    assertTorch("fold", x -> Conv.fold(x[0], 4, 5, 2, 3, o), ConvTorchGolden.FOLD_OUT,
        List.of(ConvTorchGolden.FOLD_G0), input(1, 12, 9));
  }

  @Test
  void tiedMaximaPassTheGradientToTheFirstAsPyTorch() {
    Value x = Value.of(NDArray.full(-1.0, 1, 1, 3, 3)).requiresGrad(true);
    // windows of 2x2, stride 1, padding 1: the first real element of each window gets the gradient, never the
    // padding, which counts as -inf
    Conv.maxPool2d(x, PoolOptions.builder(2).stride(1).padding(1).build()).sum().backward();
    // window (oh, ow) covers rows oh-1..oh, columns ow-1..ow; its first real element is (max(oh-1, 0), max(ow-1, 0))
    assertArrayEquals(new double[] {4, 2, 2, 2, 1, 1, 2, 1, 1}, x.grad().toArray(), 0.0);
  }

  @Test
  void maxPoolingWithPaddingIsNoAnomaly() {
    // the padding is -inf inside the op only: anomaly mode must not take it for a non-finite result
    try (ModeScope s = Autograd.detectAnomaly()) {
      Value x = Value.of(input(1, 2, 4, 4)).requiresGrad(true);
      Conv.maxPool2d(x, PoolOptions.builder(3).stride(1).padding(1).build()).sum().backward();
      // each of the 2·4·4 windows passes its gradient 1 to exactly one element
      assertEquals(32.0, x.grad().sum().item(), 0.0);
    }
  }

  // ------------------------------------------------------------------ direct loops

  @Test
  void conv2dMatchesDirectLoops() {
    SplittableRandom rng = new SplittableRandom(11);
    for (int trial = 0; trial < 150; trial++) {
      int groups = 1 + rng.nextInt(3);
      int n = 1 + rng.nextInt(3);
      int c = groups * (1 + rng.nextInt(2));
      int o = groups * (1 + rng.nextInt(3));
      int[] k = {1 + rng.nextInt(3), 1 + rng.nextInt(3)};
      int[] s = {1 + rng.nextInt(3), 1 + rng.nextInt(3)};
      int[] p = {rng.nextInt(3), rng.nextInt(3)};
      int[] d = {1 + rng.nextInt(2), 1 + rng.nextInt(2)};
      int h = Math.max(1, d[0] * (k[0] - 1) + 1 - 2 * p[0] + rng.nextInt(5));
      int w = Math.max(1, d[1] * (k[1] - 1) + 1 - 2 * p[1] + rng.nextInt(5));
      NDArray x = NDArray.randn(rng, n, c, h, w);
      NDArray weight = NDArray.randn(rng, o, c / groups, k[0], k[1]);
      NDArray bias = rng.nextBoolean() ? NDArray.randn(rng, o) : null;
      ConvOptions opts = ConvOptions.builder().stride(s[0], s[1]).padding(p[0], p[1]).dilation(d[0], d[1])
          .groups(groups).build();
      NDArray ours = Conv.conv2d(Value.of(x), Value.of(weight), bias == null ? null : Value.of(bias), opts).data();
      NDArray expected = conv2dLoops(x, weight, bias, s, p, d, groups);
      assertArrayEquals(expected.shape(), ours.shape(), opts.toString());
      assertArrayEquals(expected.toArray(), ours.toArray(), TOL, opts.toString());
    }
  }

  @Test
  void conv1dIsConv2dOfHeightOne() {
    SplittableRandom rng = new SplittableRandom(12);
    NDArray x = NDArray.randn(rng, 3, 4, 9);
    NDArray w = NDArray.randn(rng, 6, 2, 3);
    NDArray b = NDArray.randn(rng, 6);
    ConvOptions o = ConvOptions.builder().stride(2).padding(2).dilation(2).groups(2).build();
    NDArray expected = conv2dLoops(x.reshape(3, 4, 1, 9), w.reshape(6, 2, 1, 3), b, new int[] {1, 2},
        new int[] {0, 2}, new int[] {1, 2}, 2);
    NDArray ours = Conv.conv1d(Value.of(x), Value.of(w), Value.of(b), o).data();
    assertArrayEquals(new int[] {3, 6, 5}, ours.shape());
    assertArrayEquals(expected.toArray(), ours.toArray(), TOL);
  }

  @Test
  void convTranspose2dMatchesScatteringLoops() {
    SplittableRandom rng = new SplittableRandom(13);
    for (int trial = 0; trial < 100; trial++) {
      int groups = 1 + rng.nextInt(2);
      int n = 1 + rng.nextInt(2);
      int c = groups * (1 + rng.nextInt(2));
      int oPerGroup = 1 + rng.nextInt(2);
      int[] k = {1 + rng.nextInt(3), 1 + rng.nextInt(3)};
      int[] s = {1 + rng.nextInt(3), 1 + rng.nextInt(3)};
      int[] d = {1 + rng.nextInt(2), 1 + rng.nextInt(2)};
      int[] p = {rng.nextInt(2), rng.nextInt(2)};
      int[] op = {rng.nextInt(Math.max(s[0], d[0])), rng.nextInt(Math.max(s[1], d[1]))};
      int h = 1 + rng.nextInt(4);
      int w = 1 + rng.nextInt(4);
      if ((h - 1) * s[0] - 2 * p[0] + d[0] * (k[0] - 1) + op[0] + 1 <= 0
          || (w - 1) * s[1] - 2 * p[1] + d[1] * (k[1] - 1) + op[1] + 1 <= 0) {
        continue;
      }
      NDArray x = NDArray.randn(rng, n, c, h, w);
      NDArray weight = NDArray.randn(rng, c, oPerGroup, k[0], k[1]);
      NDArray bias = NDArray.randn(rng, oPerGroup * groups);
      ConvOptions opts = ConvOptions.builder().stride(s[0], s[1]).padding(p[0], p[1]).dilation(d[0], d[1])
          .outputPadding(op[0], op[1]).groups(groups).build();
      NDArray ours = Conv.convTranspose2d(Value.of(x), Value.of(weight), Value.of(bias), opts).data();
      NDArray expected = convTransposeLoops(x, weight, bias, s, p, d, op, groups);
      assertArrayEquals(expected.shape(), ours.shape(), opts.toString());
      assertArrayEquals(expected.toArray(), ours.toArray(), TOL, opts.toString());
    }
  }

  @Test
  void poolingMatchesDirectLoops() {
    SplittableRandom rng = new SplittableRandom(14);
    for (int trial = 0; trial < 150; trial++) {
      int[] k = {1 + rng.nextInt(3), 1 + rng.nextInt(3)};
      int[] s = {1 + rng.nextInt(3), 1 + rng.nextInt(3)};
      int[] p = {rng.nextInt(k[0] / 2 + 1), rng.nextInt(k[1] / 2 + 1)};
      int[] d = {1 + rng.nextInt(2), 1 + rng.nextInt(2)};
      boolean ceil = rng.nextBoolean();
      boolean includePad = rng.nextBoolean();
      int h = Math.max(1, d[0] * (k[0] - 1) + 1 - 2 * p[0] + rng.nextInt(5));
      int w = Math.max(1, d[1] * (k[1] - 1) + 1 - 2 * p[1] + rng.nextInt(5));
      NDArray x = NDArray.randn(rng, 2, 2, h, w);
      PoolOptions max = PoolOptions.builder(k[0], k[1]).stride(s[0], s[1]).padding(p[0], p[1]).dilation(d[0], d[1])
          .ceilMode(ceil).build();
      NDArray expected = poolLoops(x, k, s, p, d, ceil, true, true);
      NDArray ours = Conv.maxPool2d(Value.of(x), max).data();
      assertArrayEquals(expected.shape(), ours.shape(), max.toString());
      assertArrayEquals(expected.toArray(), ours.toArray(), 0.0, max.toString());
      PoolOptions avg = PoolOptions.builder(k[0], k[1]).stride(s[0], s[1]).padding(p[0], p[1]).ceilMode(ceil)
          .countIncludePad(includePad).build();
      expected = poolLoops(x, k, s, p, new int[] {1, 1}, ceil, false, includePad);
      ours = Conv.avgPool2d(Value.of(x), avg).data();
      assertArrayEquals(expected.shape(), ours.shape(), avg.toString());
      assertArrayEquals(expected.toArray(), ours.toArray(), TOL, avg.toString());
    }
  }

  @Test
  void unfoldMatchesItsDefinitionAndFoldIsItsAdjoint() {
    SplittableRandom rng = new SplittableRandom(15);
    for (int trial = 0; trial < 100; trial++) {
      int[] k = {1 + rng.nextInt(3), 1 + rng.nextInt(3)};
      int[] s = {1 + rng.nextInt(3), 1 + rng.nextInt(3)};
      int[] p = {rng.nextInt(3), rng.nextInt(3)};
      int[] d = {1 + rng.nextInt(2), 1 + rng.nextInt(2)};
      int h = Math.max(1, d[0] * (k[0] - 1) + 1 - 2 * p[0] + rng.nextInt(5));
      int w = Math.max(1, d[1] * (k[1] - 1) + 1 - 2 * p[1] + rng.nextInt(5));
      ConvOptions o = ConvOptions.builder().stride(s[0], s[1]).padding(p[0], p[1]).dilation(d[0], d[1]).build();
      NDArray x = NDArray.randn(rng, 2, 3, h, w);
      NDArray cols = Conv.unfold(Value.of(x), k[0], k[1], o).data();
      NDArray expected = unfoldLoops(x, k, s, p, d);
      assertArrayEquals(expected.shape(), cols.shape(), o.toString());
      assertArrayEquals(expected.toArray(), cols.toArray(), 0.0, o.toString());
      NDArray y = NDArray.randn(rng, cols.shape());
      NDArray folded = Conv.fold(Value.of(y), h, w, k[0], k[1], o).data();
      assertEquals(cols.mul(y).sum().item(), x.mul(folded).sum().item(), 1e-10, "<unfold(x), y> = <x, fold(y)>");
    }
  }

  @Test
  void unbatchedInputsGiveTheBatchedResultWithoutItsBatchAxis() {
    SplittableRandom rng = new SplittableRandom(16);
    NDArray x = NDArray.randn(rng, 2, 5, 6);
    NDArray w = NDArray.randn(rng, 3, 2, 2, 3);
    ConvOptions o = ConvOptions.builder().padding(1).stride(2).build();
    assertArrayEquals(Conv.conv2d(Value.of(x.unsqueeze(0)), Value.of(w), null, o).data().toArray(),
        Conv.conv2d(Value.of(x), Value.of(w), null, o).data().toArray(), 0.0);
    assertArrayEquals(new int[] {3, 3, 3}, Conv.conv2d(Value.of(x), Value.of(w), null, o).shape());
    assertArrayEquals(new int[] {2, 2, 3}, Conv.maxPool2d(Value.of(x), 2).shape());
    assertArrayEquals(new int[] {2, 6}, Conv.maxPool1d(Value.of(x.reshape(2, 30)), PoolOptions.of(5)).shape());
    assertArrayEquals(new int[] {2, 30}, Conv.avgPool1d(Value.of(x.reshape(2, 30)), 1).shape());
  }

  @Test
  void stridedAndBroadcastInputsGiveTheResultsOfTheirCopies() {
    SplittableRandom rng = new SplittableRandom(17);
    NDArray base = NDArray.randn(rng, 3, 2, 5, 4);
    List<NDArray> views = List.of(base.permute(1, 0, 2, 3), // planes contiguous, batch and channels swapped
        base.permute(0, 1, 3, 2), // planes transposed
        base.slice(3, 1, 3), // rows with gaps
        NDArray.randn(rng, 1, 2, 5, 4).broadcastTo(3, 2, 5, 4)); // one image for all
    ConvOptions o = ConvOptions.builder().padding(1).stride(2, 1).build();
    for (NDArray view : views) {
      assertArrayEquals(Conv.unfold(Value.of(view.copy()), 2, 3, o).data().toArray(),
          Conv.unfold(Value.of(view), 2, 3, o).data().toArray(), 0.0);
    }
  }

  @Test
  void emptyBatchGivesAnEmptyResult() {
    Value x = Value.zeros(0, 2, 4, 4);
    assertArrayEquals(new int[] {0, 3, 2, 2}, Conv.conv2d(x, Value.ones(3, 2, 3, 3), Value.ones(3)).shape());
    assertArrayEquals(new int[] {0, 2, 2, 2}, Conv.maxPool2d(x, 2).shape());
  }

  // ------------------------------------------------------------------ references

  private static int blocks(int size, int k, int s, int p, int d) {
    return (size + 2 * p - d * (k - 1) - 1) / s + 1;
  }

  /** out[n, o, y, x] = b[o] + Σ over the group's channels and kernel taps of input · weight. */
  static NDArray conv2dLoops(NDArray x, NDArray w, NDArray b, int[] s, int[] p, int[] d, int groups) {
    int[] xs = x.shape();
    int[] ws = w.shape();
    int n = xs[0];
    int c = xs[1];
    int h = xs[2];
    int wd = xs[3];
    int o = ws[0];
    int cg = ws[1];
    int ho = blocks(h, ws[2], s[0], p[0], d[0]);
    int wo = blocks(wd, ws[3], s[1], p[1], d[1]);
    double[] xv = x.toArray();
    double[] wv = w.toArray();
    double[] out = new double[n * o * ho * wo];
    for (int img = 0; img < n; img++) {
      for (int oc = 0; oc < o; oc++) {
        int g = oc / (o / groups);
        for (int oy = 0; oy < ho; oy++) {
          for (int ox = 0; ox < wo; ox++) {
            double sum = b == null ? 0 : b.toArray()[oc];
            for (int ci = 0; ci < cg; ci++) {
              int ic = g * cg + ci;
              for (int ky = 0; ky < ws[2]; ky++) {
                for (int kx = 0; kx < ws[3]; kx++) {
                  int iy = oy * s[0] - p[0] + ky * d[0];
                  int ix = ox * s[1] - p[1] + kx * d[1];
                  if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                    sum += xv[((img * c + ic) * h + iy) * wd + ix] * wv[((oc * cg + ci) * ws[2] + ky) * ws[3] + kx];
                  }
                }
              }
            }
            out[((img * o + oc) * ho + oy) * wo + ox] = sum;
          }
        }
      }
    }
    return NDArray.fromFlat(out, n, o, ho, wo);
  }

  /** Every input element scattered through the kernel: out[iy·s − p + ky·d] += x[iy] · w[ky]. */
  static NDArray convTransposeLoops(NDArray x, NDArray w, NDArray b, int[] s, int[] p, int[] d, int[] op,
      int groups) {
    int[] xs = x.shape();
    int[] ws = w.shape();
    int n = xs[0];
    int c = xs[1];
    int h = xs[2];
    int wd = xs[3];
    int opg = ws[1];
    int o = opg * groups;
    int ho = (h - 1) * s[0] - 2 * p[0] + d[0] * (ws[2] - 1) + op[0] + 1;
    int wo = (wd - 1) * s[1] - 2 * p[1] + d[1] * (ws[3] - 1) + op[1] + 1;
    double[] xv = x.toArray();
    double[] wv = w.toArray();
    double[] out = new double[n * o * ho * wo];
    for (int img = 0; img < n; img++) {
      for (int oc = 0; oc < o; oc++) {
        for (int i = 0; i < ho * wo; i++) {
          out[(img * o + oc) * ho * wo + i] = b.toArray()[oc];
        }
      }
      for (int ic = 0; ic < c; ic++) {
        int g = ic / (c / groups);
        for (int iy = 0; iy < h; iy++) {
          for (int ix = 0; ix < wd; ix++) {
            for (int j = 0; j < opg; j++) {
              for (int ky = 0; ky < ws[2]; ky++) {
                for (int kx = 0; kx < ws[3]; kx++) {
                  int oy = iy * s[0] - p[0] + ky * d[0];
                  int ox = ix * s[1] - p[1] + kx * d[1];
                  if (oy >= 0 && oy < ho && ox >= 0 && ox < wo) {
                    out[((img * o + g * opg + j) * ho + oy) * wo + ox] += xv[((img * c + ic) * h + iy) * wd + ix]
                        * wv[((ic * opg + j) * ws[2] + ky) * ws[3] + kx];
                  }
                }
              }
            }
          }
        }
      }
    }
    return NDArray.fromFlat(out, n, o, ho, wo);
  }

  /** PyTorch's output length, with ceil mode's rule that a last window must start before the right padding. */
  private static int poolBlocks(int size, int k, int s, int p, int d, boolean ceil) {
    int span = d * (k - 1) + 1;
    int out = Math.floorDiv(size + 2 * p - span + (ceil ? s - 1 : 0), s) + 1;
    if (ceil && (out - 1) * s >= size + p) {
      out--;
    }
    return out;
  }

  /**
   * Max (over input positions, −∞ if none) or average pooling as PyTorch's CPU kernels define it: the divisor is the
   * window clipped to the padded input (countIncludePad) or the number of input positions.
   */
  static NDArray poolLoops(NDArray x, int[] k, int[] s, int[] p, int[] d, boolean ceil, boolean max,
      boolean includePad) {
    int[] xs = x.shape();
    int nc = xs[0] * xs[1];
    int h = xs[2];
    int w = xs[3];
    int ho = poolBlocks(h, k[0], s[0], p[0], d[0], ceil);
    int wo = poolBlocks(w, k[1], s[1], p[1], d[1], ceil);
    double[] xv = x.toArray();
    double[] out = new double[nc * ho * wo];
    for (int plane = 0; plane < nc; plane++) {
      for (int oy = 0; oy < ho; oy++) {
        for (int ox = 0; ox < wo; ox++) {
          double best = Double.NEGATIVE_INFINITY;
          double sum = 0;
          int count = 0;
          for (int ky = 0; ky < k[0]; ky++) {
            for (int kx = 0; kx < k[1]; kx++) {
              int iy = oy * s[0] - p[0] + ky * d[0];
              int ix = ox * s[1] - p[1] + kx * d[1];
              if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                double v = xv[(plane * h + iy) * w + ix];
                best = Math.max(best, v);
                sum += v;
                count++;
              }
            }
          }
          int y0 = oy * s[0] - p[0];
          int x0 = ox * s[1] - p[1];
          int padded = (Math.min(y0 + k[0], h + p[0]) - y0) * (Math.min(x0 + k[1], w + p[1]) - x0);
          out[(plane * ho + oy) * wo + ox] = max ? best : sum / (includePad ? padded : count);
        }
      }
    }
    return NDArray.fromFlat(out, xs[0], xs[1], ho, wo);
  }

  /** cols[n, (c·kh + i)·kw + j, oy·wo + ox] = x[n, c, oy·s − p + i·d, ox·s − p + j·d], 0 outside. */
  static NDArray unfoldLoops(NDArray x, int[] k, int[] s, int[] p, int[] d) {
    int[] xs = x.shape();
    int h = xs[2];
    int w = xs[3];
    int ho = blocks(h, k[0], s[0], p[0], d[0]);
    int wo = blocks(w, k[1], s[1], p[1], d[1]);
    int rows = xs[1] * k[0] * k[1];
    double[] xv = x.toArray();
    double[] out = new double[xs[0] * rows * ho * wo];
    for (int img = 0; img < xs[0]; img++) {
      for (int c = 0; c < xs[1]; c++) {
        for (int i = 0; i < k[0]; i++) {
          for (int j = 0; j < k[1]; j++) {
            int row = (c * k[0] + i) * k[1] + j;
            for (int oy = 0; oy < ho; oy++) {
              for (int ox = 0; ox < wo; ox++) {
                int iy = oy * s[0] - p[0] + i * d[0];
                int ix = ox * s[1] - p[1] + j * d[1];
                boolean inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
                out[(img * rows + row) * ho * wo + oy * wo + ox] =
                    inside ? xv[((img * xs[1] + c) * h + iy) * w + ix] : 0.0;
              }
            }
          }
        }
      }
    }
    return NDArray.fromFlat(out, xs[0], rows, ho * wo);
  }
}
