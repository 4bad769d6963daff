package dev.autograd.nn;

/**
 * Channel-wise dropout for {@code [N, C, L]} or {@code [C, L]} inputs (PyTorch's {@code nn.Dropout1d}): whole
 * channels are zeroed with probability p in training mode, the rest scaled by 1/(1−p).
 */
public final class Dropout1d extends ChannelDropout {
  /** @param seed seeds the module's own mask generator */
  public Dropout1d(double p, long seed) {
    super(p, seed, 1);
  }
}
