package dev.autograd.examples;

/** Entry point of the demo; later subcommands build on this. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    new WorkedExample().run().print(System.out);
  }
}
