# Reference numbers pasted into the nn layer tests (torch 1.13, float64). Run by hand: python3 reference_layers.py
import torch, math
torch.set_default_dtype(torch.float64)
def wave(phase, *shape, scale=1.0):
    n = 1
    for s in shape: n *= s
    return torch.tensor([scale*math.sin(0.7*i + phase) for i in range(n)]).reshape(*shape)
def fmt(t): return ", ".join(repr(float(v)) for v in t.flatten())
torch.set_printoptions(precision=17)
# BatchNorm1d 3 steps
bn = torch.nn.BatchNorm1d(3)
with torch.no_grad():
    bn.weight.copy_(torch.tensor([1.5, -0.5, 2.0])); bn.bias.copy_(torch.tensor([0.1, 0.2, -0.3]))
for step in range(3):
    x = wave(step, 4, 3, scale=1+step)
    y = bn(x)
print("BN1d running_mean", fmt(bn.running_mean)); print("BN1d running_var", fmt(bn.running_var)); print("nbt", int(bn.num_batches_tracked))
print("BN1d last train y[0]", fmt(y[0]))
bn.eval(); y = bn(wave(5, 2, 3)); print("BN1d eval y", fmt(y))
# momentum None, 3d input
bn = torch.nn.BatchNorm1d(2, momentum=None)
for step in range(3):
    y = bn(wave(step, 2, 2, 3, scale=1+step))
print("BNcum running_mean", fmt(bn.running_mean)); print("BNcum running_var", fmt(bn.running_var))
# BN2d
bn = torch.nn.BatchNorm2d(2, momentum=0.3)
for step in range(2):
    y = bn(wave(step, 2, 2, 2, 3))
print("BN2d running_mean", fmt(bn.running_mean)); print("BN2d running_var", fmt(bn.running_var))
# GELU
x = torch.tensor([0.0, 1.0, -1.0, 3.0, -8.0, -30.0, 10.0])
print("gelu", fmt(torch.nn.functional.gelu(x)))
# LSTM 2 layers batch_first
def setw(mod, phase):
    with torch.no_grad():
        for k, (name, p) in enumerate(mod.named_parameters()):
            p.copy_(wave(phase + k, *p.shape, scale=0.5))
lstm = torch.nn.LSTM(3, 4, num_layers=2, batch_first=True); setw(lstm, 0.1)
print("lstm names", [n for n,_ in lstm.named_parameters()])
o, (h, c) = lstm(wave(0.2, 2, 5, 3))
print("lstm out[1,4]", fmt(o[1,4])); print("lstm hN", fmt(h)); print("lstm cN", fmt(c))
gru = torch.nn.GRU(3, 4, num_layers=2); setw(gru, 0.3)
o, h = gru(wave(0.4, 5, 2, 3), wave(0.6, 2, 2, 4))
print("gru out[4,1]", fmt(o[4,1])); print("gru hN", fmt(h))
rnn = torch.nn.RNN(3, 4, nonlinearity='relu'); setw(rnn, 0.5)
o, h = rnn(wave(0.7, 5, 3))
print("rnn relu out", fmt(o[4])); print("rnn hN", fmt(h))
mha = torch.nn.MultiheadAttention(4, 2, batch_first=True); setw(mha, 0.8)
print("mha names", [n for n,_ in mha.named_parameters()])
q = wave(0.9, 2, 3, 4); kv = wave(1.0, 2, 5, 4)
mask = torch.triu(torch.full((3,5), float('-inf')), diagonal=1)
kpm = torch.tensor([[False, False, False, False, True], [False, False, False, True, True]])
o, w = mha(q, kv, kv, attn_mask=mask, key_padding_mask=kpm)
print("mha out[1,2]", fmt(o[1,2])); print("mha w[1]", fmt(w[1]))
for ph in [1.5, 2.0, 2.5, 3.0]:
    rnn = torch.nn.RNN(3, 4, nonlinearity='relu', num_layers=2); setw = None
    with torch.no_grad():
        for k, (name, p) in enumerate(rnn.named_parameters()):
            p.copy_(wave(ph + k, *p.shape, scale=0.5))
    o, h = rnn(wave(0.7, 5, 3))
    print(ph, "rnn relu out[4]", fmt(o[4])); print("rnn hN", fmt(h))
x = torch.tensor([0.0, 1.0, -1.0, 3.0, -8.0])
print("gelu tanh", fmt(torch.nn.functional.gelu(x, approximate='tanh')))
x = torch.tensor([0.0, 1.0, -1.0, 30.0, -30.0, 800.0, -800.0])
for name, f in [("elu", torch.nn.ELU(0.7)), ("selu", torch.nn.SELU()), ("silu", torch.nn.SiLU()), ("mish", torch.nn.Mish()), ("softsign", torch.nn.Softsign()), ("logsigmoid", torch.nn.LogSigmoid())]:
    xx = x.clone().requires_grad_(True); y = f(xx); y.sum().backward()
    print(name, fmt(y)); print(name, "grad", fmt(xx.grad))
xx = torch.tensor([-2.0, -1.0, 0.0, 1.0, 2.0]).requires_grad_(True); y = torch.nn.Hardtanh()(xx); y.sum().backward(); print("hardtanh grad", fmt(xx.grad))
