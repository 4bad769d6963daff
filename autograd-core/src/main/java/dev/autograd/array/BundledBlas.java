package dev.autograd.array;

import java.nio.file.Path;

/**
 * A native BLAS that ships inside a Maven dependency rather than in the operating system, such as
 * {@code dev.autograd:autograd-openblas}. Implementations are found with {@link java.util.ServiceLoader} (declared in
 * {@code META-INF/services/dev.autograd.array.BundledBlas}); the first that loads is used ahead of any system BLAS,
 * because its version is known and it is never the slow reference BLAS.
 */
public interface BundledBlas {
  /** A short description for logs, e.g. {@code "OpenBLAS 0.3.31 (bundled)"}. */
  String name();

  /**
   * Makes the library loadable (extracting it from its jar if needed, with whatever it links against) and returns
   * the path of the shared library that exports the Fortran BLAS symbols ({@code dgemm_}).
   *
   * @throws Exception if the library cannot be loaded on this platform
   */
  Path load() throws Exception;
}
