package dev.autograd.nn.data;

import java.io.IOException;
import java.nio.file.Path;

/** Malformed input data: the message names the file, where in it (line or byte offset) and what is wrong. */
public final class DataFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public DataFormatException(Path file, String where, String reason) {
    super(file + ", " + where + ": " + reason);
  }
}
