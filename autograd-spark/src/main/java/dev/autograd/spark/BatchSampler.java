package dev.autograd.spark;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Which examples form the global mini-batch of each step: epoch {@code e} is a permutation of the {@code n} example
 * positions drawn from {@code seed} and {@code e}, cut into {@code n / batchSize} batches (the incomplete tail of an
 * epoch is dropped, so every step sees exactly {@code batchSize} examples); each batch is returned sorted. The batch of
 * step {@code t} depends only on {@code (n, batchSize, seed, t)}, so a single-process loop, a resumed trainer and
 * a retried task all see the same examples. The driver holds one permutation ({@code 4n} bytes) at a time.
 */
public final class BatchSampler {
  private final int n;
  private final int batchSize;
  private final long seed;
  private long cachedEpoch = -1;
  private int[] permutation;

  /**
   * @throws IllegalArgumentException unless {@code 1 <= batchSize <= n}
   */
  public BatchSampler(long n, int batchSize, long seed) {
    checkArgument(n <= Integer.MAX_VALUE - 8, "BatchSampler: at most 2^31 - 9 examples, got %s", n);
    checkArgument(batchSize >= 1 && batchSize <= n, "BatchSampler: batch size must be in [1, %s] (the number of "
        + "examples), got %s", n, batchSize);
    this.n = (int) n;
    this.batchSize = batchSize;
    this.seed = seed;
  }

  /** Steps per epoch: {@code n / batchSize}, rounded down. */
  public int stepsPerEpoch() {
    return n / batchSize;
  }

  /** The sorted example positions (0-based, in data set order) of step {@code step}'s batch. */
  public int[] batch(long step) {
    checkArgument(step >= 0, "BatchSampler: step must be >= 0, got %s", step);
    long epoch = step / stepsPerEpoch();
    int k = (int) (step % stepsPerEpoch());
    if (epoch != cachedEpoch) {
      permutation = permutation(epoch);
      cachedEpoch = epoch;
    }
    int[] out = Arrays.copyOfRange(permutation, k * batchSize, (k + 1) * batchSize);
    Arrays.sort(out);
    return out;
  }

  private int[] permutation(long epoch) {
    // a generator per epoch (SplittableRandom mixes its seed), so any epoch is drawn without replaying earlier ones
    SplittableRandom rng = new SplittableRandom(seed + epoch * 0x9E3779B97F4A7C15L);
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) { // Fisher-Yates
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
