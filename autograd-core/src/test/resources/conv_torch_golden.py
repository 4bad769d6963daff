"""Prints the PyTorch (float64) results that ConvTorchGolden.java holds: each case's output and input gradients,
flattened, for ConvTest.pattern inputs and a pattern seed. Run: python3 conv_torch_golden.py (needs torch). Debian's
PyTorch 1.13 aborted now and then with a malloc error on this script (1 run in 3, not reproducible case by case): rerun."""
import torch, torch.nn.functional as F
torch.set_default_dtype(torch.float64)

def pat(*shape, mul=37, mod=17):  # ConvTest.pattern: ((i * mul) % mod - mod / 2) / 4, exact in binary
    n = 1
    for s in shape: n *= s
    return torch.tensor([((i * mul) % mod - mod // 2) / 4.0 for i in range(n)]).reshape(shape)

def arr(t): return "{" + ", ".join(repr(float(v)) for v in t.flatten().tolist()) + "}"

def case(name, fn, *inputs):
    ins = [i.clone().requires_grad_(True) for i in inputs]
    y = fn(*ins)
    y.backward(pat(*y.shape, mul=5, mod=7))
    print(f"// {name}: output {list(y.shape)}")
    print(f"{name}_OUT = {arr(y.detach())};")
    for k, i in enumerate(ins):
        print(f"{name}_G{k} = {arr(i.grad)};")

case("CONV2D", lambda x, w, b: F.conv2d(x, w, b, stride=(2,1), padding=(1,2), dilation=(1,2), groups=2), pat(2,4,4,5), pat(4,2,3,2, mul=11, mod=13), pat(4, mul=3, mod=5))
case("CONVT", lambda x, w, b: F.conv_transpose2d(x, w, b, stride=(2,1), padding=(1,0), output_padding=(1,0), groups=2, dilation=(1,2)), pat(1,4,3,2), pat(4,1,3,2, mul=11, mod=13), pat(2, mul=3, mod=5))
case("CONVT_OPDIL", lambda x, w: F.conv_transpose2d(x, w, stride=1, padding=1, output_padding=1, dilation=2), pat(1,1,3,3), pat(1,2,2,2, mul=11, mod=13))
case("MAXPOOL_CEIL", lambda x: F.max_pool2d(x, 3, stride=2, padding=1, ceil_mode=True), pat(1,2,5,6))
case("MAXPOOL_DIL", lambda x: F.max_pool2d(x, 2, stride=1, padding=1, dilation=2), pat(1,1,4,5))
case("MAXPOOL_ALLPAD", lambda x: F.max_pool2d(x, 2, stride=1, padding=1, dilation=3), pat(1,1,2,2))
case("AVGPOOL_INC", lambda x: F.avg_pool2d(x, 3, stride=2, padding=1, ceil_mode=True), pat(1,1,5,6))
case("AVGPOOL_EXC", lambda x: F.avg_pool2d(x, 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False), pat(1,1,5,6))
case("AVGPOOL1D", lambda x: F.avg_pool1d(x, 2, stride=2, padding=1, ceil_mode=True), pat(1,2,5))
case("MAXPOOL1D", lambda x: F.max_pool1d(x, 3, stride=2, padding=1, ceil_mode=True), pat(1,2,6))
case("CONV1D", lambda x, w, b: F.conv1d(x, w, b, stride=2, padding=1, dilation=2), pat(2,2,7), pat(3,2,2, mul=11, mod=13), pat(3, mul=3, mod=5))
case("UNFOLD", lambda x: F.unfold(x, (2,3), dilation=(1,2), padding=1, stride=(2,1)), pat(1,2,3,4))
case("FOLD", lambda x: F.fold(x, (4,5), (2,3), dilation=(1,2), padding=1, stride=(2,1)), pat(1,12,9))
