package dev.autograd.spark;

/**
 * What one distributed step did and where its time went (wall-clock seconds on the driver).
 *
 * @param step the step's 0-based number (the optimizer's step count before it)
 * @param loss the mean loss over the global batch, at the parameters before the update
 * @param seconds the whole step: broadcast, gradient job and optimizer update
 * @param broadcastSeconds creating the broadcast of the parameters
 * @param computeSeconds the slowest partition's forward and backward pass (the step cannot be shorter)
 * @param aggregationSeconds the gradient job's wall time beyond {@code computeSeconds}: scheduling the tasks, shipping
 *     the closure, serialising and sending the partitions' gradients and summing them with {@code treeAggregate}
 * @param optimizerSeconds the optimizer update on the driver
 */
public record StepStats(long step, double loss, double seconds, double broadcastSeconds, double computeSeconds,
    double aggregationSeconds, double optimizerSeconds) {

  /**
   * The fraction of the step spent moving parameters and gradients rather than computing:
   * {@code (broadcastSeconds + aggregationSeconds) / seconds}, 0 for a step of no measurable time.
   */
  public double communicationShare() {
    return seconds > 0 ? (broadcastSeconds + aggregationSeconds) / seconds : 0;
  }
}
