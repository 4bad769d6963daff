"""PyTorch CPU reference: forward + backward of one conv2d layer on MNIST-shaped data (random, fixed seed).
usage: python3 torch_conv.py [--dtype float32|float64] [--threads N] [--steps N] [--batch B] [--filters F] [--input-grad]
Times F.conv2d(x, w, b, padding=1).backward(gy) for x [B, 1, 28, 28], w [F, 1, 3, 3], b [F] and a fixed random gy;
w and b need gradients, x only with --input-grad (a network's first layer needs none).
Prints one line: 'torch <dtype> threads=<n> conv2d batch=<b> filters=<f> input_grad=<0|1> step_ms=<median ms>'"""
import argparse, time, statistics, torch, torch.nn.functional as F
p = argparse.ArgumentParser()
p.add_argument('--dtype', default='float64'); p.add_argument('--threads', type=int, default=2)
p.add_argument('--steps', type=int, default=100); p.add_argument('--batch', type=int, default=64)
p.add_argument('--filters', type=int, default=32); p.add_argument('--input-grad', action='store_true')
a = p.parse_args()
torch.set_num_threads(a.threads); torch.manual_seed(0)
dt = getattr(torch, a.dtype)
x = torch.randn(a.batch, 1, 28, 28, dtype=dt).requires_grad_(a.input_grad)
w = torch.randn(a.filters, 1, 3, 3, dtype=dt, requires_grad=True)
b = torch.randn(a.filters, dtype=dt, requires_grad=True)
gy = torch.randn(a.batch, a.filters, 28, 28, dtype=dt)
times = []
for s in range(a.steps + 20):
    t = time.perf_counter()
    x.grad = None; w.grad = None; b.grad = None
    F.conv2d(x, w, b, padding=1).backward(gy)
    if s >= 20: times.append(time.perf_counter() - t)
print(f"torch {a.dtype} threads={a.threads} conv2d batch={a.batch} filters={a.filters} "
      f"input_grad={int(a.input_grad)} step_ms={statistics.median(times)*1e3:.3f}")
