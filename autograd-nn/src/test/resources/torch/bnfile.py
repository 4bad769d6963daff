# Writes a BatchNorm1d state_dict as safetensors does (float32 tensors, int64 num_batches_tracked), by hand since the
# safetensors package is not installed; prints torch's eval output for a fixed input.
import torch, json, struct, math
torch.manual_seed(0)
bn = torch.nn.BatchNorm1d(3)
with torch.no_grad():
    bn.weight.copy_(torch.tensor([1.5, -0.5, 2.0])); bn.bias.copy_(torch.tensor([0.1, 0.2, -0.3]))
for step in range(3):
    bn(torch.tensor([[math.sin(0.7*i + step) * (1 + step) for i in range(j*3, j*3+3)] for j in range(4)]))
sd = bn.state_dict()
header, data = {}, b""
for k, v in sd.items():
    dt = {torch.float32: "F32", torch.int64: "I64"}[v.dtype]
    b = v.contiguous().numpy().tobytes()
    header[k] = {"dtype": dt, "shape": list(v.shape), "data_offsets": [len(data), len(data) + len(b)]}
    data += b
header["__metadata__"] = {"format": "pt"}
h = json.dumps(header, separators=(",", ":")).encode()
h += b" " * ((8 - len(h) % 8) % 8)
open("/work/wt-nn-layers/autograd-nn/src/test/resources/torch/batchnorm1d.safetensors", "wb").write(struct.pack("<Q", len(h)) + h + data)
bn.eval()
x = torch.tensor([[math.sin(0.7*i + 5) for i in range(j*3, j*3+3)] for j in range(2)])
print(", ".join(repr(float(v)) for v in bn(x).flatten()))
print({k: v.tolist() for k, v in sd.items()})
