package dev.autograd.examples;

import dev.autograd.Autograd;
import dev.autograd.ModeScope;
import dev.autograd.Value;
import dev.autograd.array.DType;
import dev.autograd.array.NDArray;
import dev.autograd.ConvOptions;
import dev.autograd.nn.Activations;
import dev.autograd.nn.BatchNorm2d;
import dev.autograd.nn.Conv2d;
import dev.autograd.nn.Flatten;
import dev.autograd.nn.Init;
import dev.autograd.nn.Linear;
import dev.autograd.nn.Module;
import dev.autograd.nn.Pooling;
import dev.autograd.nn.Sequential;
import dev.autograd.nn.Losses;
import dev.autograd.nn.MLP;
import dev.autograd.nn.data.Batch;
import dev.autograd.nn.data.DataLoader;
import dev.autograd.nn.data.Idx;
import dev.autograd.nn.data.TensorDataset;
import dev.autograd.nn.optim.Adam;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Handwritten digits with an MLP (784-256-128-10, ReLU, cross-entropy, Adam) or a small convolutional network. With the full MNIST files it trains on
 * the 60,000 training images and tests on the 10,000 test images; with only the test files (t10k), it trains on the
 * first 8,000 and tests on the last 2,000.
 */
public final class Mnist {
  static final String MIRROR = "https://storage.googleapis.com/cvdf-datasets/mnist/";
  private static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
  private static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
  private static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
  private static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
  private static final int SPLIT_TRAIN = 8000;
  private static final int PREDICT_CHUNK = 250;

  private Mnist() {}

  /** Train and test sets and a description of where they came from. */
  public record Data(TensorDataset train, TensorDataset test, String description) {}

  /** Per-epoch loss and test accuracy, the confusion matrix [true][predicted] and the test predictions. */
  public record Result(double[] epochLoss, double[] epochAccuracy, int[][] confusion, int[] predicted) {
    public double finalAccuracy() {
      return epochAccuracy[epochAccuracy.length - 1];
    }
  }

  /** Loads from {@code dataDir} (raw or .gz files), or downloads the four files to a cache when it is null. */
  public static Data load(Path dataDir) throws IOException {
    Path dir = dataDir != null ? dataDir : download();
    Path testImages = find(dir, TEST_IMAGES);
    Path testLabels = find(dir, TEST_LABELS);
    if (testImages == null || testLabels == null) {
      throw new UserException("no MNIST test files (" + TEST_IMAGES + "[.gz], " + TEST_LABELS + "[.gz]) in " + dir);
    }
    TensorDataset test = dataset(testImages, testLabels);
    Path trainImages = find(dir, TRAIN_IMAGES);
    Path trainLabels = find(dir, TRAIN_LABELS);
    if (trainImages != null && trainLabels != null) {
      return new Data(dataset(trainImages, trainLabels), test, "full MNIST: 60,000 training, 10,000 test images");
    }
    int n = test.size();
    return new Data(test.slice(0, SPLIT_TRAIN), test.slice(SPLIT_TRAIN, n),
        "MNIST test files only: training on the first 8,000 images, testing on the last " + (n - SPLIT_TRAIN));
  }

  private static Path download() {
    Path cache = Downloads.cacheDir("mnist");
    for (String name : new String[] {TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS}) {
      Downloads.fetch(MIRROR + name + ".gz", cache.resolve(name + ".gz"),
          "Put the four MNIST IDX files (or just the t10k ones) in a folder and pass --data DIR.");
    }
    return cache;
  }

  private static Path find(Path dir, String name) {
    for (Path p : new Path[] {dir.resolve(name + ".gz"), dir.resolve(name)}) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  private static TensorDataset dataset(Path images, Path labels) throws IOException {
    NDArray pixels = Idx.readImages(images).pixels();
    int[] y = Idx.readLabels(labels);
    if (y.length != pixels.dim(0)) {
      throw new UserException(images + " has " + pixels.dim(0) + " images but " + labels + " has " + y.length
          + " labels");
    }
    return new TensorDataset(pixels, NDArray.fromFlat(Arrays.stream(y).asDoubleStream().toArray(), y.length));
  }

  /** Training progress: after every step, and after every epoch's evaluation. */
  public interface Listener {
    void onStep(int epoch, int step, double loss);

    default void onEpoch(int epoch, double loss, double testAccuracy) {}
  }

  /** The network to train. */
  public enum Architecture {
    /** 784-256-128-10 with ReLU. */
    MLP,
    /**
     * LeNet-like with batch normalisation: two blocks of 5×5 convolution (16 and 32 channels, padding 2),
     * BatchNorm2d, ReLU and 2×2 max pooling, then 1568-128-10.
     */
    CNN
  }

  static Module create(Architecture architecture, long seed) {
    if (architecture == Architecture.MLP) {
      return MLP.builder().sizes(784, 256, 128, 10).init(Init.kaimingUniform(), Init.zeros()).seed(seed).build();
    }
    SplittableRandom rng = new SplittableRandom(seed);
    ConvOptions same = ConvOptions.builder().padding(2).build();
    return new Sequential(new Unflatten(), new Conv2d(1, 16, 5, same, rng), new BatchNorm2d(16),
        new Activations.ReLU(), new Pooling.MaxPool2d(2), new Conv2d(16, 32, 5, same, rng), new BatchNorm2d(32),
        new Activations.ReLU(), new Pooling.MaxPool2d(2), new Flatten(), new Linear(32 * 7 * 7, 128, rng),
        new Activations.ReLU(), new Linear(128, 10, rng));
  }

  /** Rows of 784 pixels in [0, 1] as [N, 1, 28, 28] images, standardised with MNIST's mean and deviation. */
  private static final class Unflatten extends Module {
    @Override
    public Value forward(Value x) {
      return x.sub(0.1307).div(0.3081).reshape(-1, 1, 28, 28);
    }
  }

  /** Trains the MLP (Adam, learning rate 1e-3). */
  public static Result train(Data data, int epochs, int batchSize, long seed, Listener listener) {
    return train(data, Architecture.MLP, epochs, batchSize, seed, listener);
  }

  /** Trains {@code architecture} in float64; see {@link #train(Data, Architecture, DType, int, int, long, Listener)}. */
  public static Result train(Data data, Architecture architecture, int epochs, int batchSize, long seed,
      Listener listener) {
    return train(data, architecture, DType.FLOAT64, epochs, batchSize, seed, listener);
  }

  /**
   * Trains {@code architecture} with Adam: learning rate 1e-3 for the MLP; for the CNN 2e-3, decayed tenfold over
   * the last third of the epochs. Evaluates on the test set in eval mode after every epoch. The model (initialised
   * the same way for either dtype), its optimizer state and the images are of {@code dtype}.
   */
  public static Result train(Data data, Architecture architecture, DType dtype, int epochs, int batchSize, long seed,
      Listener listener) {
    Module model = create(architecture, seed).to(dtype);
    double lr = architecture == Architecture.MLP ? 1e-3 : 2e-3;
    Adam adam = new Adam(model.parameters(), lr);
    NDArray testImages = data.test().features().to(dtype);
    DataLoader loader = DataLoader.builder(data.train().to(dtype)).batchSize(batchSize).shuffle(true).seed(seed)
        .build();
    double[] epochLoss = new double[epochs];
    double[] epochAccuracy = new double[epochs];
    int[] predicted = null;
    for (int e = 0; e < epochs; e++) {
      double sum = 0;
      int step = 0;
      if (architecture == Architecture.CNN && epochs >= 3 && e >= epochs - epochs / 3) {
        adam.setLearningRate(lr / 10);
      }
      for (Batch b : loader) {
        Value loss = Losses.crossEntropy(model.forward(Value.of(b.inputs())), b.labels());
        adam.zeroGrad();
        loss.backward();
        adam.step();
        sum += loss.item();
        listener.onStep(e, step++, loss.item());
      }
      epochLoss[e] = sum / loader.batchesPerEpoch();
      predicted = predict(model, testImages);
      epochAccuracy[e] = accuracy(predicted, data.test());
      listener.onEpoch(e, epochLoss[e], epochAccuracy[e]);
    }
    return new Result(epochLoss, epochAccuracy, confusion(predicted, data.test()), predicted);
  }

  private static int[] predict(Module model, NDArray x) {
    model.eval();
    try (ModeScope s = Autograd.noGrad()) {
      int[] out = new int[x.dim(0)];
      // in chunks: the CNN's second convolution unfolds 400 numbers per output pixel, about 0.6 MB per float64
      // image, so chunks of 1000 needed more than half of the tests' 2 GB heap and ran out of it now and then
      for (int from = 0; from < out.length; from += PREDICT_CHUNK) {
        int to = Math.min(out.length, from + PREDICT_CHUNK);
        double[] best = model.forward(Value.of(x.slice(0, from, to))).data().argmax(1).toArray();
        for (int i = from; i < to; i++) {
          out[i] = (int) best[i - from];
        }
      }
      return out;
    } finally {
      model.train();
    }
  }

  private static double accuracy(int[] predicted, TensorDataset test) {
    double[] y = test.targets().toArray();
    int correct = 0;
    for (int i = 0; i < predicted.length; i++) {
      correct += predicted[i] == (int) y[i] ? 1 : 0;
    }
    return correct / (double) predicted.length;
  }

  private static int[][] confusion(int[] predicted, TensorDataset test) {
    int[][] m = new int[10][10];
    double[] y = test.targets().toArray();
    for (int i = 0; i < predicted.length; i++) {
      m[(int) y[i]][predicted[i]]++;
    }
    return m;
  }

  /** The confusion matrix as text: rows are true digits, columns predictions. */
  public static String formatConfusion(int[][] m) {
    StringBuilder sb = new StringBuilder("true\\pred");
    for (int c = 0; c < 10; c++) {
      sb.append(String.format(Locale.ROOT, "%6d", c));
    }
    sb.append('\n');
    for (int r = 0; r < 10; r++) {
      sb.append(String.format(Locale.ROOT, "%9d", r));
      for (int c = 0; c < 10; c++) {
        sb.append(String.format(Locale.ROOT, "%6d", m[r][c]));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** Up to 64 misclassified test digits in an 8 × 8 grid, each captioned "true → predicted". */
  public static Path plotMistakes(Result r, Data data, Path outDir) throws IOException {
    int scale = 3;
    int cell = 28 * scale + 18;
    BufferedImage img = new BufferedImage(8 * cell, 8 * cell, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
    double[] labels = data.test().targets().toArray();
    NDArray pixels = data.test().features();
    int shown = 0;
    for (int i = 0; i < r.predicted().length && shown < 64; i++) {
      if (r.predicted()[i] == (int) labels[i]) {
        continue;
      }
      int x0 = (shown % 8) * cell;
      int y0 = (shown / 8) * cell;
      double[] digit = pixels.slice(0, i, i + 1).toArray();
      for (int p = 0; p < 784; p++) {
        int v = 255 - (int) Math.round(255 * digit[p]);
        g.setColor(new Color(v, v, v));
        g.fillRect(x0 + 9 + (p % 28) * scale, y0 + 16 + (p / 28) * scale, scale, scale);
      }
      g.setColor(new Color(180, 20, 20));
      g.drawString((int) labels[i] + " \u2192 " + r.predicted()[i], x0 + 9, y0 + 13);
      shown++;
    }
    g.dispose();
    Files.createDirectories(outDir);
    Path file = outDir.resolve("mnist-misclassified.png");
    ImageIO.write(img, "png", file.toFile());
    return file;
  }
}
