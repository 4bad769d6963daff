package dev.autograd.nn.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * Drives every parameter group's learning rate from a schedule, as PyTorch's {@code lr_scheduler} objects: each
 * group gets the schedule made from its initial rate ({@code base_lr}), creating the scheduler sets the rates of
 * step 0, and {@link #step()} (called once per epoch, or per batch, after {@code optimizer.step()}) moves to the next
 * step. E.g. {@code LrScheduler.of(opt, lr -> LrSchedule.multiStep(lr, new int[] {30, 80}, 0.1))}.
 */
public final class LrScheduler {
  private final Optimizer optimizer;
  private final List<LrSchedule> schedules = new ArrayList<>();
  private int lastEpoch;

  private LrScheduler(Optimizer optimizer, DoubleFunction<LrSchedule> perGroup) {
    this.optimizer = optimizer;
    for (Optimizer.ParamGroup g : optimizer.paramGroups()) {
      schedules.add(perGroup.apply(g.lr()));
    }
    apply();
  }

  /** A scheduler giving each group the schedule {@code perGroup} makes from that group's initial learning rate. */
  public static LrScheduler of(Optimizer optimizer, DoubleFunction<LrSchedule> perGroup) {
    return new LrScheduler(optimizer, perGroup);
  }

  /** Advances one step and sets every group's learning rate. */
  public void step() {
    lastEpoch++;
    apply();
  }

  /** The step the current rates belong to (PyTorch's {@code last_epoch}), 0 after creation. */
  public int lastEpoch() {
    return lastEpoch;
  }

  /** Every group's current learning rate (PyTorch's {@code get_last_lr()}). */
  public List<Double> lastLr() {
    return optimizer.paramGroups().stream().map(Optimizer.ParamGroup::lr).toList();
  }

  private void apply() {
    List<Optimizer.ParamGroup> groups = optimizer.paramGroups();
    double[] rates = new double[groups.size()];
    for (int i = 0; i < rates.length; i++) {
      rates[i] = schedules.get(i).rate(lastEpoch); // all computed first: a refused step changes nothing
    }
    for (int i = 0; i < rates.length; i++) {
      groups.get(i).setLr(rates[i]);
    }
  }
}
