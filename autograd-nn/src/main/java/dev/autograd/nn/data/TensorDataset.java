package dev.autograd.nn.data;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.array.DType;
import dev.autograd.array.NDArray;
import dev.autograd.array.Shapes;

/** A dataset held in two arrays whose first axis is the sample: features {@code [N, ...]}, targets {@code [N, ...]}. */
public final class TensorDataset implements Dataset {
  private final NDArray features;
  private final NDArray targets;

  public TensorDataset(NDArray features, NDArray targets) {
    checkArgument(features.rank() >= 1 && targets.rank() >= 1 && features.dim(0) == targets.dim(0),
        "TensorDataset: features %s and targets %s need the same number of samples along axis 0",
        Shapes.lazyFormat(features.shape()), Shapes.lazyFormat(targets.shape()));
    this.features = features.contiguous();
    this.targets = targets.contiguous();
  }

  @Override
  public int size() {
    return features.dim(0);
  }

  @Override
  public Batch batch(int[] indices) {
    return new Batch(features.indexSelect(0, indices), targets.indexSelect(0, indices), indices.clone());
  }

  /** Samples [from, to) as a new dataset (e.g. a train/test split). */
  public TensorDataset slice(int from, int to) {
    return new TensorDataset(features.slice(0, from, to), targets.slice(0, from, to));
  }

  /**
   * This dataset with features and targets stored as {@code dtype} (itself when they already are), e.g. float32 data
   * for a model converted with {@code Module.to}: batches then come out in that dtype.
   */
  public TensorDataset to(DType dtype) {
    return features.dtype() == dtype && targets.dtype() == dtype ? this
        : new TensorDataset(features.to(dtype), targets.to(dtype));
  }

  public NDArray features() {
    return features;
  }

  public NDArray targets() {
    return targets;
  }
}
