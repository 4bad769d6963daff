package dev.autograd.examples;

/** A problem the user can fix (bad option, missing data, no network): shown as one line, without a stack trace. */
public final class UserException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserException(String message) {
    super(message);
  }

  public UserException(String message, Throwable cause) {
    super(message, cause);
  }
}
