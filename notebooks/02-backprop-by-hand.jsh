// 02 · Backprop by hand vs the engine (the lecture's 2-3-2 network)
// Sample (3, -2) -> (1, 4); loss ½((ŷ-1)² + (ẑ-4)²); no activation, so every number is an integer.

Value x = Value.of(new double[][] {{3, -2}});
Value W1 = Value.of(new double[][] {{1, -2}, {-4, 5}, {-1, 0}}).requiresGrad(true);   // rows u1..u3
Value b1 = Value.of(0, 0, 0).requiresGrad(true);
Value W2 = Value.of(new double[][] {{2, -2}, {1, -1}, {4, 5}}).requiresGrad(true);    // rows u1..u3, columns ŷ, ẑ
Value b2 = Value.of(-1, 5).requiresGrad(true);

Value u = x.matmul(W1.transpose()).add(b1).retainGrad();
Value out = u.matmul(W2).add(b2).retainGrad();
Value loss = out.sub(Value.of(new double[][] {{1, 4}})).pow(2).sum().mul(0.5);
loss.backward();
System.out.println("u = " + u.data() + ", (ŷ, ẑ) = " + out.data() + ", loss = " + loss.item());

// The lecture's three rules, computed by hand from the engine's d-values of the output layer:
NDArray dOut = out.grad();                                   // (-22, -6)
NDArray dU = dOut.matmul(W2.data().transpose());             // d-values = weights · d-values
NDArray dW1 = dU.transpose().matmul(x.data());               // d-weights = d-values · values
NDArray dB1 = dU;                                            // d-biases = d-values
System.out.println("by hand:    dL/du = " + dU + "  dL/dW1 = " + dW1);
System.out.println("the engine: dL/du = " + u.grad() + "  dL/dW1 = " + W1.grad());
check(dOut.equals(NDArray.of(new double[][] {{-22, -6}})), "output d-values");
check(dU.equals(u.grad()) && dW1.equals(W1.grad()) && dB1.reshape(3).equals(b1.grad()), "hand rules = engine");
check(W1.grad().equals(NDArray.of(new double[][] {{-96, 64}, {-48, 32}, {-354, 236}})), "slide's dW1");

// Batched: several samples at once. d-values become matrices and d-biases are column sums.
Value X = Value.of(new double[][] {{3, -2}, {1, 0.5}, {-2, 4}});
W1.zeroGrad(); b1.zeroGrad(); W2.zeroGrad(); b2.zeroGrad();
Value U = X.matmul(W1.transpose()).add(b1);
Value OUT = U.matmul(W2).add(b2).retainGrad();
OUT.sub(Value.of(new double[][] {{1, 4}, {0, -1}, {2, 2}})).pow(2).sum().mul(0.5).backward();
System.out.println("batched d-values:\n" + OUT.grad());
System.out.println("d-biases = column sums: " + OUT.grad().sum(new int[] {0}, false) + " = " + b2.grad());
check(OUT.grad().sum(new int[] {0}, false).allClose(b2.grad(), 0, 1e-12), "bias gradient is the column sum");
