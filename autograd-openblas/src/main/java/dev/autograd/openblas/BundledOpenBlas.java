package dev.autograd.openblas;

import dev.autograd.array.BundledBlas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * OpenBLAS from JavaCPP's platform jar. {@link Loader} extracts the library and the Fortran runtime it links against
 * into its cache and loads them, so that netlib's later {@code dlopen} of the same file finds its dependencies already
 * resolved. Registered as a {@link BundledBlas} service; nothing calls it directly.
 */
public final class BundledOpenBlas implements BundledBlas {
  private static final String LIBRARY = "openblas_nolapack";

  @Override
  public String name() {
    Package p = openblas_nolapack.class.getPackage();
    String version = p == null ? null : p.getImplementationVersion();
    return "OpenBLAS" + (version == null ? "" : " " + version) + ", bundled";
  }

  @Override
  public Path load() throws Exception {
    Loader.load(openblas_nolapack.class);
    for (Map.Entry<String, String> e : Loader.getLoadedLibraries().entrySet()) {
      // keys are "name@.soversion" for plain libraries, "jni..." for JavaCPP's own glue
      if (e.getKey().startsWith(LIBRARY + "@") && e.getValue() != null && Files.isRegularFile(Path.of(e.getValue()))) {
        return Path.of(e.getValue());
      }
    }
    throw new IllegalStateException("JavaCPP loaded " + LIBRARY + " but did not report its file; loaded: "
        + Loader.getLoadedLibraries().keySet());
  }
}
