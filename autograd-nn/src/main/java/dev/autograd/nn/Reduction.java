package dev.autograd.nn;

import dev.autograd.Value;

/** How a loss combines per-element terms. */
public enum Reduction {
  MEAN {
    @Override
    Value apply(Value perElement) {
      return perElement.mean();
    }
  },
  SUM {
    @Override
    Value apply(Value perElement) {
      return perElement.sum();
    }
  };

  abstract Value apply(Value perElement);
}
