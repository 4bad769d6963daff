package dev.autograd.nn.data;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Mini-batches over a dataset, as in the lecture: shuffle, then take batches of the chosen size until every sample
 * has been used; shuffle again for the next epoch. Each {@link #iterator()} is one epoch. Shuffling comes from a
 * seeded generator, so the sequence of epochs is reproducible. The last, smaller batch is kept unless
 * {@code dropLast}.
 */
public final class DataLoader implements Iterable<Batch> {
  private final Dataset dataset;
  private final int batchSize;
  private final boolean shuffle;
  private final boolean dropLast;
  private final SplittableRandom rng;

  /** Batches of {@code batchSize} in order, the last one possibly smaller; {@link #builder} for the options. */
  public DataLoader(Dataset dataset, int batchSize) {
    this(dataset, batchSize, false, 0, false);
  }

  /** {@code DataLoader.builder(dataset).batchSize(32).shuffle(true).seed(1).dropLast(false).build()}. */
  public static Builder builder(Dataset dataset) {
    return new Builder(dataset);
  }

  /** Named options, with PyTorch's defaults: batch size 1, no shuffling, the last batch kept. */
  public static final class Builder {
    private final Dataset dataset;
    private int batchSize = 1;
    private boolean shuffle;
    private long seed;
    private boolean dropLast;

    private Builder(Dataset dataset) {
      this.dataset = dataset;
    }

    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** Reshuffle every epoch, from {@link #seed}. */
    public Builder shuffle(boolean shuffle) {
      this.shuffle = shuffle;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Drop the last batch when it is smaller than the batch size. */
    public Builder dropLast(boolean dropLast) {
      this.dropLast = dropLast;
      return this;
    }

    public DataLoader build() {
      return new DataLoader(dataset, batchSize, shuffle, seed, dropLast);
    }
  }

  private DataLoader(Dataset dataset, int batchSize, boolean shuffle, long seed, boolean dropLast) {
    checkArgument(batchSize > 0, "DataLoader: batch size must be > 0, got %s", batchSize);
    checkArgument(dataset.size() > 0, "DataLoader: the dataset is empty");
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.rng = new SplittableRandom(seed);
  }

  /** Batches in one epoch. */
  public int batchesPerEpoch() {
    int n = dataset.size();
    return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
  }

  /** One epoch (reshuffled, when shuffling, on every call). */
  @Override
  public Iterator<Batch> iterator() {
    int n = dataset.size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (shuffle) {
      for (int i = n - 1; i > 0; i--) { // Fisher-Yates
        int j = rng.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    int batches = batchesPerEpoch();
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < batches;
      }

      @Override
      public Batch next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        int from = next++ * batchSize;
        int to = Math.min(from + batchSize, n);
        return dataset.batch(java.util.Arrays.copyOfRange(order, from, to));
      }
    };
  }
}
