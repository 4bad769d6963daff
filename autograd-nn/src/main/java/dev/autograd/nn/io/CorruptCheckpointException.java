package dev.autograd.nn.io;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint file that is truncated, altered or not in the safetensors format; the message says what and where. */
public final class CorruptCheckpointException extends IOException {
  private static final long serialVersionUID = 1L;

  CorruptCheckpointException(Path file, String reason) {
    super(file + ": " + reason);
  }
}
