// 04 · Training an MLP on two moons (micrograd's demo, with the tensor engine)

SplittableRandom rng = new SplittableRandom(1337);
int n = 100;
double[][] rows = new double[n][];
for (int i = 0; i < n; i++) {
  double t = Math.PI * (i % 50) / 49;
  boolean upper = i < 50;
  rows[i] = new double[] {
      (upper ? Math.cos(t) : 1 - Math.cos(t)) + 0.1 * rng.nextGaussian(),
      (upper ? Math.sin(t) : 0.5 - Math.sin(t)) + 0.1 * rng.nextGaussian(),
      upper ? -1 : 1};
}
NDArray all = NDArray.of(rows);
Value X = Value.of(all.slice(1, 0, 2));
Value Y = Value.of(all.slice(1, 2, 3));

MLP model = MLP.builder().sizes(2, 16, 16, 1).init(Init.uniform(-1, 1), Init.zeros()).seed(1337).build();
System.out.println(model);
SGD sgd = new SGD(model.parameters(), 1.0);
double accuracy = 0;
for (int k = 0; k < 100; k++) {
  Value scores = model.forward(X);
  Value l2 = Value.scalar(0);
  for (Value p : model.parameters()) l2 = l2.add(p.pow(2).sum());
  Value loss = Losses.hinge(scores, Y).add(l2.mul(1e-4));
  model.zeroGrad();
  loss.backward();
  sgd.setLearningRate(1.0 - 0.9 * k / 100);
  sgd.step();
  accuracy = scores.data().mul(Y.data()).gt(0).mean().item();
  if (k % 20 == 19) System.out.printf("step %3d  loss %.4f  accuracy %.0f%%%n", k + 1, loss.item(), 100 * accuracy);
}
check(accuracy == 1.0, "100% training accuracy");
