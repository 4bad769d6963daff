package dev.autograd.nn;

/**
 * Channel-wise dropout for {@code [N, C, H, W]} or {@code [C, H, W]} inputs (PyTorch's {@code nn.Dropout2d}): whole
 * feature maps are zeroed with probability p in training mode, the rest scaled by 1/(1−p). A rank-3 input is
 * {@code [C, H, W]} as PyTorch documents it (torch 1.13 still reads it as {@code [N, C, L]} with a warning).
 */
public final class Dropout2d extends ChannelDropout {
  /** @param seed seeds the module's own mask generator */
  public Dropout2d(double p, long seed) {
    super(p, seed, 2);
  }
}
