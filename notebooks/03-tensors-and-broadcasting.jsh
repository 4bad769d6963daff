// 03 · Tensors and broadcasting
// Binary ops follow NumPy: align trailing axes; each pair of sizes must match or be 1.

NDArray m = NDArray.arange(6).reshape(2, 3);
System.out.println("m =\n" + m);
System.out.println("m + [10, 20, 30] = " + m.add(NDArray.of(10, 20, 30)));       // row broadcast
System.out.println("m + [[100], [200]] = " + m.add(NDArray.of(new double[][] {{100}, {200}})));
System.out.println("sum over axis 0 = " + m.sum(new int[] {0}, false) + ", keepDims: " + m.sum(new int[] {1}, true));
System.out.println("transpose (a view, no copy) = " + m.transpose());

// Gradients of broadcast inputs are summed back to the input's shape.
Value bias = Value.of(1, 2, 3).requiresGrad(true);
Value batch = Value.of(m);
batch.add(bias).pow(2).sum().backward();
System.out.println("bias.grad = " + bias.grad() + "  (2·Σ over the batch of (m + bias))");
check(bias.grad().equals(m.add(NDArray.of(1, 2, 3)).mul(2).sum(new int[] {0}, false)), "broadcast gradient");

// Mismatched shapes are an immediate, descriptive error.
try {
  m.add(NDArray.of(1, 2));
  check(false, "should have thrown");
} catch (IllegalArgumentException ex) {
  System.out.println("as expected: " + ex.getMessage());
  check(ex.getMessage().contains("[2, 3]") && ex.getMessage().contains("[2]"), "error names both shapes");
}

// Softmax along the last axis, stable even for huge logits.
Value logits = Value.of(new double[][] {{1000, 1001, 1002}, {-5, 0, 5}});
NDArray p = logits.softmax(-1).data();
System.out.println("softmax rows = " + p);
check(p.sum(new int[] {1}, false).allClose(NDArray.of(1, 1), 0, 1e-12) && p.allFinite(), "rows sum to 1");
