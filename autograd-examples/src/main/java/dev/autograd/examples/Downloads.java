package dev.autograd.examples;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fetches public data sets into a cache folder when no {@code --data} folder is given. */
final class Downloads {
  private static final Logger log = LoggerFactory.getLogger(Downloads.class);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
      .followRedirects(HttpClient.Redirect.NORMAL).build();

  private Downloads() {}

  /** {@code $AUTOGRAD_CACHE}, else {@code ~/.cache/autograd}. */
  static Path cacheDir(String dataset) {
    String env = System.getenv("AUTOGRAD_CACHE");
    Path base = env != null ? Paths.get(env) : Paths.get(System.getProperty("user.home"), ".cache", "autograd");
    return base.resolve(dataset);
  }

  /** Downloads {@code url} to {@code target} (atomically) unless it is already there. */
  static Path fetch(String url, Path target, String howToGetItYourself) {
    if (Files.exists(target)) {
      return target;
    }
    log.info("Downloading {} ...", url);
    try {
      Files.createDirectories(target.toAbsolutePath().getParent());
      Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), ".download", ".tmp");
      try {
        HttpResponse<Path> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofFile(tmp));
        if (response.statusCode() != 200) {
          throw new UserException("could not download " + url + " (HTTP " + response.statusCode() + "). "
              + howToGetItYourself);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
      return target;
    } catch (IOException e) {
      throw new UserException("could not download " + url + " (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "; are you offline?). " + howToGetItYourself, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserException("download interrupted: " + url, e);
    }
  }

  /** Extracts one entry (matched by file name) of a zip archive. */
  static Path unzipEntry(Path zip, String name, Path target) throws IOException {
    if (Files.exists(target)) {
      return target;
    }
    try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
      for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
        if (Paths.get(e.getName()).getFileName().toString().equals(name)) {
          Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), ".unzip", ".tmp");
          Files.copy(z, tmp, StandardCopyOption.REPLACE_EXISTING);
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          return target;
        }
      }
    }
    throw new UserException(zip + " does not contain " + name);
  }
}
