package dev.autograd.nn;

import dev.autograd.Value;

/**
 * Merges axes {@code startDim..endDim} (inclusive; negatives count from the end) into one, as PyTorch's
 * {@code nn.Flatten(start_dim=1, end_dim=-1)}: by default a batch {@code [N, C, H, W]} becomes {@code [N, C·H·W]}.
 */
public final class Flatten extends Module {
  private final int startDim;
  private final int endDim;

  /** {@code startDim = 1, endDim = -1}: keeps the batch axis. */
  public Flatten() {
    this(1, -1);
  }

  /** Merges axes {@code startDim..endDim}; both are checked against the input's rank in {@link #forward}. */
  public Flatten(int startDim, int endDim) {
    this.startDim = startDim;
    this.endDim = endDim;
  }

  /**
   * @throws IllegalArgumentException if an axis is out of range for the input or {@code startDim} comes after
   *     {@code endDim}
   */
  @Override
  public Value forward(Value x) {
    return x.flatten(startDim, endDim);
  }

  @Override
  protected String describe() {
    return "Flatten(startDim=" + startDim + ", endDim=" + endDim + ")";
  }
}
