package dev.autograd.nn;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.Value;
import dev.autograd.array.NDArray;
import dev.autograd.array.Shapes;
import java.util.function.Function;

/**
 * Batch normalisation over axis 1 (the channels), PyTorch's {@code _BatchNorm}: y = (x − mean) / √(var + eps) · weight
 * + bias, with statistics per channel over every other axis. {@link BatchNorm1d} and {@link BatchNorm2d} fix the
 * accepted input ranks.
 *
 * <p>In training mode (or always, without running statistics) the batch's mean and biased variance normalise, and,
 * when {@code trackRunningStats}, the buffers are updated as PyTorch does: {@code num_batches_tracked += 1}, then
 * {@code running = (1 − f)·running + f·batch} with f = momentum, or f = 1/num_batches_tracked (a cumulative average)
 * when momentum is null; {@code running_var} takes the UNBIASED batch variance (n/(n−1) times the biased one). In
 * evaluation mode the running statistics normalise and nothing is updated. Gradients flow through the batch
 * statistics, never into the buffers.
 *
 * <p>Parameters {@code weight} (ones) and {@code bias} (zeros) of shape [C] when {@code affine}; buffers
 * {@code running_mean} (zeros), {@code running_var} (ones) and {@code num_batches_tracked} (rank 0, 0; a count, so
 * it stays float64 when the layer is converted to float32) when {@code trackRunningStats}.
 */
public abstract class BatchNorm extends Module {
  private final int numFeatures;
  private final double eps;
  private final Double momentum;
  private final Value weight;
  private final Value bias;
  private final Value runningMean;
  private final Value runningVar;
  private final Value numBatchesTracked;

  BatchNorm(Builder<?> b) {
    this.numFeatures = b.numFeatures;
    this.eps = b.eps;
    this.momentum = b.momentum;
    this.weight = b.affine ? registerParameter("weight", NDArray.ones(numFeatures)) : null;
    this.bias = b.affine ? registerParameter("bias", NDArray.zeros(numFeatures)) : null;
    if (b.trackRunningStats) {
      runningMean = registerBuffer("running_mean", NDArray.zeros(numFeatures));
      runningVar = registerBuffer("running_var", NDArray.ones(numFeatures));
      numBatchesTracked = registerCountBuffer("num_batches_tracked", 0);
    } else {
      runningMean = null;
      runningVar = null;
      numBatchesTracked = null;
    }
  }

  /** Whether {@code rank} is an input rank this layer accepts. */
  abstract boolean acceptsRank(int rank);

  /** The accepted ranks for messages, e.g. {@code "2D or 3D"}. */
  abstract String expectedRanks();

  /**
   * @throws IllegalArgumentException for an input of the wrong rank or channel count, or, in training, one with a
   *     single value per channel (its variance is undefined; PyTorch refuses it too)
   */
  @Override
  public final Value forward(Value x) {
    String name = getClass().getSimpleName();
    checkArgument(acceptsRank(x.rank()), "%s: expected %s input, got shape %s", name, expectedRanks(),
        Shapes.lazyFormat(x.shape()));
    checkArgument(x.shape()[1] == numFeatures, "%s: expected %s channels at axis 1, got shape %s", name, numFeatures,
        Shapes.lazyFormat(x.shape()));
    int[] axes = new int[x.rank() - 1]; // every axis but the channels
    for (int i = 0, j = 0; i < x.rank(); i++) {
      if (i != 1) {
        axes[j++] = i;
      }
    }
    int[] channelShape = new int[x.rank()];
    java.util.Arrays.fill(channelShape, 1);
    channelShape[1] = numFeatures;
    boolean batchStats = isTraining() || runningMean == null;
    Value mean;
    Value var;
    if (batchStats) {
      long n = (long) x.size() / numFeatures;
      checkArgument(!isTraining() || n > 1, "%s: expected more than 1 value per channel when training, got shape %s",
          name, Shapes.lazyFormat(x.shape()));
      mean = x.mean(axes, true);
      var = x.var(axes, 0, true);
      if (isTraining() && runningMean != null) {
        updateRunningStats(mean.data().reshape(numFeatures), var.data().reshape(numFeatures).mul(n / (n - 1.0)));
      }
    } else {
      mean = Value.of(runningMean.data().reshape(channelShape));
      var = Value.of(runningVar.data().reshape(channelShape));
    }
    Value y = x.sub(mean).mul(var.add(eps).rsqrt());
    if (weight != null) {
      y = y.mul(weight.reshape(channelShape)).add(bias.reshape(channelShape));
    }
    return y;
  }

  private void updateRunningStats(NDArray batchMean, NDArray unbiasedVar) {
    double tracked = numBatchesTracked.data().item() + 1;
    numBatchesTracked.setData(NDArray.scalar(tracked));
    double f = momentum == null ? 1.0 / tracked : momentum;
    // in the buffers' own dtype, whatever the input's: a float64 batch must not turn float32 statistics into float64
    runningMean.setData(runningMean.data().mul(1 - f).add(batchMean.mul(f)).to(runningMean.dtype()));
    runningVar.setData(runningVar.data().mul(1 - f).add(unbiasedVar.mul(f)).to(runningVar.dtype()));
  }

  /** C, the number of channels. */
  public final int numFeatures() {
    return numFeatures;
  }

  /** The scale γ, or {@code null} without {@code affine}. */
  public final Value weight() {
    return weight;
  }

  /** The shift β, or {@code null} without {@code affine}. */
  public final Value bias() {
    return bias;
  }

  /** The {@code running_mean} buffer, or {@code null} without {@code trackRunningStats}. */
  public final Value runningMean() {
    return runningMean;
  }

  /** The {@code running_var} buffer, or {@code null} without {@code trackRunningStats}. */
  public final Value runningVar() {
    return runningVar;
  }

  /** The {@code num_batches_tracked} buffer (rank 0), or {@code null} without {@code trackRunningStats}. */
  public final Value numBatchesTracked() {
    return numBatchesTracked;
  }

  @Override
  protected final String describe() {
    return String.format(java.util.Locale.ROOT, "%s(%d, eps=%s, momentum=%s, affine=%s, trackRunningStats=%s)",
        getClass().getSimpleName(), numFeatures, eps, momentum, weight != null, runningMean != null);
  }

  /** Options with PyTorch's defaults: eps 1e-5, momentum 0.1, affine, trackRunningStats. */
  public static final class Builder<T extends BatchNorm> {
    private final int numFeatures;
    private final Function<Builder<T>, T> make;
    private double eps = 1e-5;
    private Double momentum = 0.1;
    private boolean affine = true;
    private boolean trackRunningStats = true;

    Builder(String layer, int numFeatures, Function<Builder<T>, T> make) {
      checkArgument(numFeatures > 0, "%s: numFeatures must be positive, got %s", layer, numFeatures);
      this.numFeatures = numFeatures;
      this.make = make;
    }

    /** Added to the variance for stability; must be &gt;= 0. */
    public Builder<T> eps(double e) {
      checkArgument(e >= 0 && Double.isFinite(e), "BatchNorm: eps must be finite and >= 0, got %s", e);
      this.eps = e;
      return this;
    }

    /** Weight of the new batch in the running statistics; {@code null} for a cumulative average. */
    public Builder<T> momentum(Double m) {
      checkArgument(m == null || (m >= 0 && m <= 1), "BatchNorm: momentum must be in [0, 1] or null, got %s", m);
      this.momentum = m;
      return this;
    }

    /** Whether to learn a per-channel scale and shift. */
    public Builder<T> affine(boolean a) {
      this.affine = a;
      return this;
    }

    /** Whether to keep running statistics for evaluation mode (without them, batch statistics are always used). */
    public Builder<T> trackRunningStats(boolean t) {
      this.trackRunningStats = t;
      return this;
    }

    /** The layer with these options. */
    public T build() {
      return make.apply(this);
    }
  }
}
