package dev.autograd.spark;

import static com.google.common.base.Preconditions.checkState;

import dev.autograd.Value;
import dev.autograd.nn.Module;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

/**
 * The task body of one step: the summed loss gradient of the examples of the global batch that lie in a shard,
 * computed with the user's model and loss at the broadcast parameters. Pure: the same shard, batch and parameters
 * give the same result, so a retried or speculative task produces what its failed twin would have.
 */
final class ShardGradient<E> implements Function<Shard<E>, GradientSum> {
  private static final long serialVersionUID = 1L;

  private final String trainerId;
  private final SerializableSupplier<? extends Module> factory;
  private final BatchLoss<E> loss;
  private final ParameterLayout layout;
  private final Broadcast<double[]> parameters;
  private final int[] batch;

  ShardGradient(String trainerId, SerializableSupplier<? extends Module> factory, BatchLoss<E> loss,
      ParameterLayout layout, Broadcast<double[]> parameters, int[] sortedBatch) {
    this.trainerId = trainerId;
    this.factory = factory;
    this.loss = loss;
    this.layout = layout;
    this.parameters = parameters;
    this.batch = sortedBatch;
  }

  @Override
  public GradientSum call(Shard<E> shard) {
    int from = lowerBound(batch, shard.start());
    int to = lowerBound(batch, shard.end());
    if (from == to) {
      return GradientSum.empty();
    }
    long t0 = System.nanoTime();
    List<E> mine = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      mine.add(shard.examples().get((int) (batch[i] - shard.start())));
    }
    Module model = ExecutorModels.borrow(trainerId, factory, layout);
    try {
      layout.load(model, parameters.value());
      model.zeroGrad();
      Value l = loss.sumLoss(model, mine);
      checkState(l != null && l.rank() == 0, "BatchLoss must return a rank-0 (summed) loss, got shape %s",
          l == null ? "null" : Arrays.toString(l.shape()));
      l.backward();
      double[] gradient = new double[layout.size()];
      layout.addGradients(model, gradient);
      return GradientSum.of(gradient, mine.size(), l.item(), System.nanoTime() - t0);
    } finally {
      ExecutorModels.release(trainerId, model);
    }
  }

  /** The first index of the sorted {@code a} whose value is >= {@code key}. */
  private static int lowerBound(int[] a, long key) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
