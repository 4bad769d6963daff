package dev.autograd.nn;

/**
 * {@link BatchNorm} for {@code [N, C]} or {@code [N, C, L]} inputs (PyTorch's {@code nn.BatchNorm1d}).
 *
 * <pre>{@code
 * BatchNorm1d bn = new BatchNorm1d(16);
 * BatchNorm1d cumulative = BatchNorm1d.builder(16).momentum(null).affine(false).build();
 * }</pre>
 */
public final class BatchNorm1d extends BatchNorm {
  /** With PyTorch's defaults: eps 1e-5, momentum 0.1, affine, trackRunningStats. */
  public BatchNorm1d(int numFeatures) {
    this(builder(numFeatures));
  }

  private BatchNorm1d(Builder<BatchNorm1d> b) {
    super(b);
  }

  /** Options for a layer over {@code numFeatures} channels, starting from PyTorch's defaults. */
  public static Builder<BatchNorm1d> builder(int numFeatures) {
    return new Builder<>("BatchNorm1d", numFeatures, BatchNorm1d::new);
  }

  @Override
  boolean acceptsRank(int rank) {
    return rank == 2 || rank == 3;
  }

  @Override
  String expectedRanks() {
    return "2D or 3D";
  }
}
