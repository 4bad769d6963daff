package dev.autograd.spark;

import dev.autograd.Value;
import dev.autograd.nn.Module;
import java.io.Serializable;
import java.util.List;

/**
 * The training objective on one shard of a mini-batch, written with the ordinary autograd-nn model and loss code and
 * shipped to executors with Java serialisation (a lambda assigned to this type is serialisable if what it captures
 * is).
 *
 * <p>It must return the <b>sum</b> over {@code examples} of the per-example loss, as a rank-0 value (e.g.
 * {@code Losses.crossEntropy(model.forward(x), labels, 0.0, Reduction.SUM)}): the trainer adds the shards' summed
 * gradients and divides once by the global batch size on the driver, so the step follows the mean loss over the
 * global batch whatever the split. A mean-reduced loss would weight small shards too much. The examples come in
 * ascending order of their position in the data set. The model must be deterministic in training mode (no dropout)
 * for the distributed step to equal the single-process one.
 */
@FunctionalInterface
public interface BatchLoss<E> extends Serializable {
  /** The summed loss of {@code model} over {@code examples} (never empty), as a rank-0 value to differentiate. */
  Value sumLoss(Module model, List<E> examples);
}
