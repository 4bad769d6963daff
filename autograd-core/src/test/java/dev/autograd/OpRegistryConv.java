package dev.autograd;

import static dev.autograd.OpRegistry.op;
import static dev.autograd.OpRegistry.r;

import dev.autograd.array.NDArray;

/**
 * {@link OpRegistry} entries of {@link Conv}: every op with strides, padding, dilation, groups, batch 1 and more,
 * 1×1 kernels, kernels as large as the (padded) input, unbatched inputs, and the calls that must be rejected.
 */
final class OpRegistryConv {
  private OpRegistryConv() {}

  private static Value c(NDArray a) {
    return Value.of(a);
  }

  private static ConvOptions.Builder opts() {
    return ConvOptions.builder();
  }

  /** conv1d, conv2d or convTranspose2d of inputs (x, w) or (x, w, b). */
  private interface ConvCall {
    Value apply(Value x, Value w, Value b, ConvOptions o);
  }

  private static ValueFunction with(ConvCall call, ConvOptions o) {
    return x -> call.apply(x[0], x[1], x.length > 2 ? x[2] : null, o);
  }

  static void build() {
    convolutions();
    transposed();
    pooling();
    unfoldAndFold();
  }

  private static void convolutions() {
    ConvCall conv2d = Conv::conv2d;
    op("conv2d").sample("batch 2, 3x3, bias", with(conv2d, ConvOptions.DEFAULT), r(2, 2, 5, 5), r(3, 2, 3, 3), r(3))
        .sample("batch 1, stride 2, padding 1", with(conv2d, opts().stride(2).padding(1).build()), r(1, 2, 5, 6),
            r(2, 2, 3, 3), r(2))
        .sample("dilation 2, padding 2", with(conv2d, opts().dilation(2).padding(2).build()), r(2, 1, 6, 5),
            r(2, 1, 3, 3))
        .sample("groups 2, stride (2, 1), padding (1, 0)",
            with(conv2d, opts().groups(2).stride(2, 1).padding(1, 0).build()), r(2, 4, 5, 4), r(6, 2, 3, 2), r(6))
        .sample("depthwise, dilation (1, 2)", with(conv2d, opts().groups(3).dilation(1, 2).build()), r(1, 3, 4, 5),
            r(3, 1, 2, 2))
        .sample("1x1 kernel, stride 2", with(conv2d, opts().stride(2).build()), r(2, 3, 3, 4), r(4, 3, 1, 1), r(4))
        .sample("kernel as large as the input", with(conv2d, ConvOptions.DEFAULT), r(2, 2, 3, 3), r(2, 2, 3, 3),
            r(2))
        .sample("kernel as large as the padded input", with(conv2d, opts().padding(1).build()), r(1, 1, 2, 3),
            r(2, 1, 4, 5))
        .sample("stride larger than the kernel", with(conv2d, opts().stride(3, 2).build()), r(1, 1, 7, 5),
            r(1, 1, 2, 1))
        .sample("unbatched", with(conv2d, opts().padding(1).build()), r(2, 3, 3), r(3, 2, 2, 2), r(3))
        .sample("inside tanh and a sum", x -> Conv.conv2d(x[0], x[1]).tanh().sum(), r(2, 1, 4, 4), r(2, 1, 2, 2))
        .rejects("channel mismatch", () -> Conv.conv2d(c(r(1, 3, 5, 5)), c(r(2, 2, 3, 3))), "conv2d",
            "[1, 3, 5, 5]", "[2, 2, 3, 3]", "3 channels")
        .rejects("groups not dividing the input channels",
            () -> Conv.conv2d(c(r(1, 3, 5, 5)), c(r(2, 1, 3, 3)), null, opts().groups(2).build()), "conv2d",
            "groups 2", "3 input channels", "[1, 3, 5, 5]")
        .rejects("groups not dividing the output channels",
            () -> Conv.conv2d(c(r(1, 4, 5, 5)), c(r(3, 2, 3, 3)), null, opts().groups(2).build()), "conv2d",
            "groups 2", "3 output channels", "[3, 2, 3, 3]")
        .rejects("kernel larger than the padded input", () -> Conv.conv2d(c(r(1, 1, 3, 3)), c(r(1, 1, 4, 6)), null,
            opts().padding(1, 0).build()), "conv2d", "4x6", "larger than the padded input", "5x3")
        .rejects("dilated kernel larger than the input", () -> Conv.conv2d(c(r(1, 1, 4, 4)), c(r(1, 1, 3, 3)), null,
            opts().dilation(2).build()), "conv2d", "5x5", "4x4")
        .rejects("zero stride", () -> opts().stride(0), "stride", "0x0")
        .rejects("negative padding", () -> opts().padding(1, -1), "padding", "1x-1")
        .rejects("input of rank 2", () -> Conv.conv2d(c(r(5, 5)), c(r(1, 1, 3, 3))), "conv2d", "[5, 5]",
            "[N, C, H, W]")
        .rejects("input of rank 5", () -> Conv.conv2d(c(r(1, 1, 1, 5, 5)), c(r(1, 1, 3, 3))), "conv2d",
            "[1, 1, 1, 5, 5]")
        .rejects("weight of rank 3", () -> Conv.conv2d(c(r(1, 2, 5, 5)), c(r(2, 3, 3))), "conv2d", "weight",
            "[2, 3, 3]")
        .rejects("bias of the wrong length", () -> Conv.conv2d(c(r(1, 2, 5, 5)), c(r(2, 2, 3, 3)), c(r(3))),
            "conv2d", "bias", "[2]", "[3]")
        .rejects("empty kernel", () -> Conv.conv2d(c(r(1, 1, 4, 4)), c(NDArray.zeros(1, 1, 2, 0))), "conv2d",
            "kernel size", "2x0")
        .rejects("empty channel axis", () -> Conv.conv2d(c(NDArray.zeros(1, 0, 5, 5)), c(r(2, 0, 3, 3))), "conv2d",
            "[1, 0, 5, 5]")
        .rejects("output padding", () -> Conv.conv2d(c(r(1, 1, 5, 5)), c(r(1, 1, 3, 3)), null,
            opts().outputPadding(1).build()), "conv2d", "outputPadding");
    ConvCall conv1d = Conv::conv1d;
    op("conv1d").sample("batch 2, bias", with(conv1d, ConvOptions.DEFAULT), r(2, 2, 7), r(3, 2, 3), r(3))
        .sample("stride 2, padding 1, dilation 2", with(conv1d, opts().stride(2).padding(1).dilation(2).build()),
            r(1, 2, 8), r(2, 2, 3), r(2))
        .sample("groups 2", with(conv1d, opts().groups(2).build()), r(2, 4, 5), r(4, 2, 2))
        .sample("1-wide kernel", with(conv1d, ConvOptions.DEFAULT), r(2, 3, 4), r(2, 3, 1), r(2))
        .sample("kernel as long as the input", with(conv1d, ConvOptions.DEFAULT), r(2, 2, 4), r(3, 2, 4))
        .sample("unbatched", with(conv1d, opts().padding(2).build()), r(2, 5), r(3, 2, 3), r(3))
        .rejects("channel mismatch", () -> Conv.conv1d(c(r(1, 3, 5)), c(r(2, 2, 3))), "conv1d", "[1, 3, 5]",
            "[2, 2, 3]")
        .rejects("kernel longer than the input", () -> Conv.conv1d(c(r(1, 1, 3)), c(r(1, 1, 4))), "conv1d",
            "larger than the padded input")
        .rejects("a pair of strides", () -> Conv.conv1d(c(r(1, 1, 5)), c(r(1, 1, 3)), null,
            opts().stride(1, 2).build()), "conv1d", "stride", "1x2")
        .rejects("input of rank 4", () -> Conv.conv1d(c(r(1, 1, 5, 5)), c(r(1, 1, 3))), "conv1d", "[1, 1, 5, 5]",
            "[N, C, L]")
        .rejects("weight of rank 4", () -> Conv.conv1d(c(r(1, 1, 5)), c(r(1, 1, 3, 3))), "conv1d", "weight",
            "[1, 1, 3, 3]");
  }

  private static void transposed() {
    ConvCall convT = Conv::convTranspose2d;
    op("convTranspose2d").sample("batch 2, bias", with(convT, ConvOptions.DEFAULT), r(2, 2, 3, 3), r(2, 3, 2, 2),
        r(3))
        .sample("stride 2, padding 1, output padding 1",
            with(convT, opts().stride(2).padding(1).outputPadding(1).build()), r(1, 2, 3, 3), r(2, 2, 3, 3), r(2))
        .sample("groups 2, dilation 2, stride (1, 2)", with(convT, opts().groups(2).dilation(2).stride(1, 2).build()),
            r(2, 4, 3, 2), r(4, 1, 2, 2))
        .sample("output padding below the dilation", with(convT, opts().dilation(2).outputPadding(1).padding(1)
            .build()), r(1, 1, 3, 3), r(1, 2, 2, 2))
        .sample("1x1 kernel, stride 2 (gaps)", with(convT, opts().stride(2).build()), r(2, 3, 2, 3), r(3, 2, 1, 1),
            r(2))
        .sample("unbatched", with(convT, opts().stride(2).build()), r(2, 2, 2), r(2, 1, 3, 3))
        .rejects("channel mismatch", () -> Conv.convTranspose2d(c(r(1, 3, 4, 4)), c(r(2, 2, 3, 3))),
            "convTranspose2d", "[1, 3, 4, 4]", "[2, 2, 3, 3]", "3 channels")
        .rejects("groups not dividing the channels", () -> Conv.convTranspose2d(c(r(1, 3, 4, 4)), c(r(3, 2, 3, 3)),
            null, opts().groups(2).build()), "convTranspose2d", "groups 2", "3 input channels")
        .rejects("output padding too large", () -> Conv.convTranspose2d(c(r(1, 1, 4, 4)), c(r(1, 1, 3, 3)), null,
            opts().stride(2).outputPadding(2).build()), "convTranspose2d", "outputPadding 2x2", "stride 2x2")
        .rejects("empty output", () -> Conv.convTranspose2d(c(r(1, 1, 1, 1)), c(r(1, 1, 1, 1)), null,
            opts().padding(1).build()), "convTranspose2d", "-1x-1")
        .rejects("empty kernel", () -> Conv.convTranspose2d(c(r(1, 1, 4, 4)), c(NDArray.zeros(1, 1, 0, 3))),
            "convTranspose2d", "kernel size", "0x3")
        .rejects("input of rank 2", () -> Conv.convTranspose2d(c(r(4, 4)), c(r(1, 1, 3, 3))), "convTranspose2d",
            "[4, 4]")
        .rejects("bias of the wrong length", () -> Conv.convTranspose2d(c(r(1, 2, 4, 4)), c(r(2, 3, 3, 3)), c(r(2))),
            "convTranspose2d", "bias", "[3]", "[2]");
  }

  private static void pooling() {
    op("maxPool2d").sample("kernel 2", x -> Conv.maxPool2d(x[0], 2), r(2, 2, 4, 4))
        .sample("kernel 3, stride 2, padding 1", x -> Conv.maxPool2d(x[0], PoolOptions.builder(3).stride(2)
            .padding(1).build()), r(1, 2, 5, 5))
        .sample("negative input with padding (padding is -inf, not 0)", x -> Conv.maxPool2d(x[0],
            PoolOptions.builder(2).stride(1).padding(1).build()), r(1, 1, 3, 3).abs().neg().add(-0.1))
        .sample("dilation 2", x -> Conv.maxPool2d(x[0], PoolOptions.builder(2).dilation(2).stride(1).build()),
            r(1, 1, 5, 6))
        .sample("ceil mode", x -> Conv.maxPool2d(x[0], PoolOptions.builder(2).ceilMode(true).build()), r(2, 1, 5, 5))
        .sample("kernel as large as the input", x -> Conv.maxPool2d(x[0], 3), r(2, 1, 3, 3))
        .sample("rectangular kernel, unbatched", x -> Conv.maxPool2d(x[0], PoolOptions.builder(2, 1).build()),
            r(2, 4, 3))
        .rejects("padding over half the kernel", () -> Conv.maxPool2d(c(r(1, 1, 5, 5)),
            PoolOptions.builder(3).padding(2).build()), "maxPool2d", "padding 2x2", "3x3")
        .rejects("kernel larger than the input", () -> Conv.maxPool2d(c(r(1, 1, 2, 2)), 3), "maxPool2d", "3x3",
            "larger than the padded input", "2x2")
        .rejects("input of rank 2", () -> Conv.maxPool2d(c(r(4, 4)), 2), "maxPool2d", "[4, 4]")
        .rejects("zero stride", () -> PoolOptions.builder(2).stride(0, 1), "stride", "0x1")
        .rejects("zero kernel", () -> PoolOptions.builder(0), "kernelSize", "0x0");
    op("maxPool1d").sample("kernel 2", x -> Conv.maxPool1d(x[0], 2), r(2, 3, 6))
        .sample("kernel 3, stride 1, padding 1, dilation 2", x -> Conv.maxPool1d(x[0], PoolOptions.builder(3)
            .stride(1).padding(1).dilation(2).build()), r(1, 2, 7))
        .sample("ceil mode, unbatched", x -> Conv.maxPool1d(x[0], PoolOptions.builder(2).ceilMode(true).build()),
            r(2, 5))
        .rejects("input of rank 4", () -> Conv.maxPool1d(c(r(1, 1, 4, 4)), 2), "maxPool1d", "[1, 1, 4, 4]")
        .rejects("a rectangular kernel", () -> Conv.maxPool1d(c(r(1, 1, 4)), PoolOptions.builder(2, 1).build()),
            "maxPool1d", "kernelSize", "2x1");
    op("avgPool2d").sample("kernel 2", x -> Conv.avgPool2d(x[0], 2), r(2, 2, 4, 4))
        .sample("kernel 3, stride 2, padding 1, padding counted", x -> Conv.avgPool2d(x[0], PoolOptions.builder(3)
            .stride(2).padding(1).build()), r(1, 2, 5, 5))
        .sample("padding not counted", x -> Conv.avgPool2d(x[0], PoolOptions.builder(3).stride(2).padding(1)
            .countIncludePad(false).build()), r(1, 2, 5, 5))
        .sample("ceil mode with padding", x -> Conv.avgPool2d(x[0], PoolOptions.builder(2).stride(2).padding(1)
            .ceilMode(true).build()), r(1, 1, 4, 5))
        .sample("rectangular kernel, unbatched", x -> Conv.avgPool2d(x[0], PoolOptions.builder(1, 2).build()),
            r(2, 3, 4))
        .rejects("dilation", () -> Conv.avgPool2d(c(r(1, 1, 5, 5)), PoolOptions.builder(2).dilation(2).build()),
            "avgPool2d", "dilation", "2x2")
        .rejects("padding over half the kernel", () -> Conv.avgPool2d(c(r(1, 1, 5, 5)),
            PoolOptions.builder(2).padding(2).build()), "avgPool2d", "padding 2x2")
        .rejects("input of rank 5", () -> Conv.avgPool2d(c(r(1, 1, 1, 4, 4)), 2), "avgPool2d", "[1, 1, 1, 4, 4]");
    op("avgPool1d").sample("kernel 2", x -> Conv.avgPool1d(x[0], 2), r(2, 2, 6))
        .sample("kernel 3, stride 2, padding 1, ceil mode, padding not counted", x -> Conv.avgPool1d(x[0],
            PoolOptions.builder(3).stride(2).padding(1).ceilMode(true).countIncludePad(false).build()), r(1, 2, 6))
        .sample("unbatched", x -> Conv.avgPool1d(x[0], 3), r(2, 6))
        .rejects("kernel longer than the input", () -> Conv.avgPool1d(c(r(1, 1, 2)), 3), "avgPool1d", "larger");
  }

  private static void unfoldAndFold() {
    op("unfold").sample("kernel 2", x -> Conv.unfold(x[0], 2), r(2, 2, 3, 4))
        .sample("kernel (2, 3), stride 2, padding 1, dilation (1, 2)", x -> Conv.unfold(x[0], 2, 3,
            ConvOptions.builder().stride(2).padding(1).dilation(1, 2).build()), r(1, 2, 4, 5))
        .sample("1x1 kernel, unbatched", x -> Conv.unfold(x[0], 1), r(2, 2, 3))
        .sample("then a product", x -> Conv.unfold(x[0], 2).mul(Conv.unfold(x[0], 2)).sum(), r(1, 1, 3, 3))
        .rejects("input of rank 2", () -> Conv.unfold(c(r(3, 3)), 2), "unfold", "[3, 3]")
        .rejects("groups", () -> Conv.unfold(c(r(1, 2, 3, 3)), 2, 2, ConvOptions.builder().groups(2).build()),
            "unfold", "groups 2")
        .rejects("kernel larger than the input", () -> Conv.unfold(c(r(1, 1, 3, 3)), 4), "unfold", "larger");
    op("fold").sample("kernel 2 into 4x4", x -> Conv.fold(x[0], 4, 4, 2), r(2, 8, 9))
        .sample("kernel 3, stride 2, padding 1 into 5x6", x -> Conv.fold(x[0], 5, 6, 3, 3,
            ConvOptions.builder().stride(2).padding(1).build()), r(1, 9, 9))
        .sample("dilation 2, unbatched", x -> Conv.fold(x[0], 5, 5, 2, 2, ConvOptions.builder().dilation(2).build()),
            r(8, 9))
        .rejects("rows not divisible by the kernel area", () -> Conv.fold(c(r(1, 6, 9)), 4, 4, 2), "fold",
            "[1, 6, 9]", "kernel area 4")
        .rejects("wrong number of blocks", () -> Conv.fold(c(r(1, 4, 8)), 4, 4, 2), "fold", "[1, 4, 8]", "8 blocks",
            "3x3 = 9")
        .rejects("input of rank 4", () -> Conv.fold(c(r(1, 4, 3, 3)), 4, 4, 2), "fold", "[1, 4, 3, 3]")
        .rejects("empty output", () -> Conv.fold(c(r(1, 4, 1)), 0, 4, 2), "fold", "0x4");
  }
}
