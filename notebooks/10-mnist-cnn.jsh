// 10 · A convolutional network for handwritten digits: what a convolution computes, then a LeNet-like CNN with
// batch normalisation trained on part of MNIST's test files (the full example: autograd-demo mnist --model cnn).

// 1. A convolution slides a small kernel over the image: here an edge detector on a 4×4 step.
Value step = Value.of(NDArray.of(new double[][] {{0, 0, 1, 1}, {0, 0, 1, 1}, {0, 0, 1, 1}, {0, 0, 1, 1}})
    .reshape(1, 1, 4, 4));
Value edge = Value.of(NDArray.of(new double[][] {{-1, 1}}).reshape(1, 1, 1, 2));
Value response = Conv.conv2d(step, edge);                                  // [1, 1, 4, 3]
System.out.println(response.data());
check(response.data().get(0, 0, 0, 1) == 1 && response.data().get(0, 0, 0, 0) == 0, "the kernel fires at the edge");

// ...and it is differentiable in the image and in the kernel, to any order (GradCheck runs finite differences).
GradCheck.create().verify(x -> Conv.maxPool2d(Conv.conv2d(x[0], x[1]).tanh(), 2), NDArray.uniform(new SplittableRandom(1),
    -1, 1, 1, 1, 5, 5), NDArray.uniform(new SplittableRandom(2), -1, 1, 2, 1, 2, 2));

// 2. Data: the MNIST test files (10,000 digits); point `mnist` at a folder with t10k-images-idx3-ubyte[.gz] and labels.
Path mnist = sharedData("mnist-t10k");                      // or Paths.get("your/mnist/folder")
boolean haveData = mnist != null;
Path images = haveData ? mnist.resolve("t10k-images-idx3-ubyte.gz") : null;
Path labels = haveData ? mnist.resolve("t10k-labels-idx1-ubyte.gz") : null;

// 3. The network: two blocks of convolution, batch normalisation, ReLU and 2×2 max pooling, then two linear layers.
SplittableRandom rng = new SplittableRandom(7);
ConvOptions same = ConvOptions.builder().padding(2).build();
Sequential cnn = new Sequential(new Conv2d(1, 8, 5, same, rng), new BatchNorm2d(8), new Activations.ReLU(),
    new Pooling.MaxPool2d(2), new Conv2d(8, 16, 5, same, rng), new BatchNorm2d(16), new Activations.ReLU(),
    new Pooling.MaxPool2d(2), new Flatten(), new Linear(16 * 7 * 7, 64, rng), new Activations.ReLU(),
    new Linear(64, 10, rng));
System.out.println(cnn);

double accuracy = 0;
if (haveData) {
  NDArray pixels = Idx.readImages(images).pixels();                       // [10000, 784] in [0, 1]
  int[] y = Idx.readLabels(labels);
  NDArray x = pixels.sub(0.1307).div(0.3081).reshape(-1, 1, 28, 28);
  Adam opt = new Adam(cnn.parameters(), 2e-3);
  for (int step = 0; step < 40; step++) {                                 // 40 batches of 64: 2,560 digits, seen once
    int from = step * 64;
    Value loss = Losses.crossEntropy(cnn.forward(Value.of(x.slice(0, from, from + 64))), Arrays.copyOfRange(y, from, from + 64));
    opt.zeroGrad();
    loss.backward();
    opt.step();
    if (step % 10 == 9) System.out.printf("step %d  loss %.3f%n", step + 1, loss.item());
  }
  cnn.eval();                                                             // batch norm now uses its running statistics
  try (ModeScope s = Autograd.noGrad()) {
    double[] predicted = cnn.forward(Value.of(x.slice(0, 9000, 10000))).data().argmax(1).toArray();
    int correct = 0;
    for (int i = 0; i < 1000; i++) correct += (int) predicted[i] == y[9000 + i] ? 1 : 0;
    accuracy = correct / 1000.0;
  }
  System.out.printf("accuracy on 1,000 held-out digits after 40 steps: %.1f%%%n", 100 * accuracy);
  check(accuracy > 0.85, "the CNN learns digits from 2,560 examples");
}
