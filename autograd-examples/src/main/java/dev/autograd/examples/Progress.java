package dev.autograd.examples;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A live progress bar on stderr (a single updating line in a terminal). */
final class Progress implements AutoCloseable {
  private final ProgressBar bar;

  Progress(String task, long total) {
    bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(100).continuousUpdate().clearDisplayOnFinish().build();
  }

  void step(String message) {
    bar.step();
    bar.setExtraMessage(message);
  }

  @Override
  public void close() {
    bar.close();
  }
}
