package dev.autograd.nn;

import dev.autograd.Value;

/**
 * How a loss combines per-element terms, PyTorch's {@code reduction} argument: {@code 'none'}, {@code 'mean'},
 * {@code 'sum'}, and {@code 'batchmean'} (the sum divided by the size of the first axis), which, as in PyTorch, only
 * {@link Losses#klDiv} accepts.
 */
public enum Reduction {
  /** The per-element losses, unreduced. */
  NONE,
  /** The mean of the per-element losses (NaN for none, as PyTorch). */
  MEAN,
  /** The sum of the per-element losses. */
  SUM,
  /** The sum divided by the batch size (the first axis; 1 for a rank-0 input): only for {@link Losses#klDiv}. */
  BATCHMEAN;

  Value apply(Value perElement) {
    return switch (this) {
      case NONE -> perElement;
      case MEAN -> perElement.mean();
      case SUM -> perElement.sum();
      case BATCHMEAN -> perElement.sum().div(perElement.rank() == 0 ? 1 : perElement.shape()[0]);
    };
  }
}
