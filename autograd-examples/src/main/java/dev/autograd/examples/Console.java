package dev.autograd.examples;

import java.nio.file.Path;
import java.util.List;

/** Consistent console formatting for the demos. */
final class Console {
  private Console() {}

  static void heading(String title) {
    System.out.println();
    System.out.println("== " + title);
    System.out.println();
  }

  static void wrote(List<Path> files) {
    Path folder = files.get(0).toAbsolutePath().getParent();
    System.out.println("Plots written to " + folder + ":");
    for (Path f : files) {
      System.out.println("  " + f.getFileName());
    }
  }
}
