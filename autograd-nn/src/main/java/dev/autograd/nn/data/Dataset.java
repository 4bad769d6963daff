package dev.autograd.nn.data;

/** Indexed samples that can be gathered into batches. */
public interface Dataset {
  int size();

  /** The samples at {@code indices}, stacked along a new first axis. */
  Batch batch(int[] indices);
}
