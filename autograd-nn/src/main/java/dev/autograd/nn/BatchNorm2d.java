package dev.autograd.nn;

/**
 * {@link BatchNorm} for {@code [N, C, H, W]} inputs (PyTorch's {@code nn.BatchNorm2d}).
 *
 * <pre>{@code
 * BatchNorm2d bn = new BatchNorm2d(16);
 * BatchNorm2d cumulative = BatchNorm2d.builder(16).momentum(null).affine(false).build();
 * }</pre>
 */
public final class BatchNorm2d extends BatchNorm {
  /** With PyTorch's defaults: eps 1e-5, momentum 0.1, affine, trackRunningStats. */
  public BatchNorm2d(int numFeatures) {
    this(builder(numFeatures));
  }

  private BatchNorm2d(Builder<BatchNorm2d> b) {
    super(b);
  }

  /** Options for a layer over {@code numFeatures} channels, starting from PyTorch's defaults. */
  public static Builder<BatchNorm2d> builder(int numFeatures) {
    return new Builder<>("BatchNorm2d", numFeatures, BatchNorm2d::new);
  }

  @Override
  boolean acceptsRank(int rank) {
    return rank == 4;
  }

  @Override
  String expectedRanks() {
    return "4D";
  }
}
