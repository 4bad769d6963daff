package dev.autograd.spark;

import dev.autograd.nn.Module;
import dev.autograd.nn.io.Checkpoint;
import dev.autograd.nn.optim.Optimizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.UnsupportedFileSystemException;

/**
 * {@link Checkpoint} files (model parameters and optimizer state, safetensors) on any Hadoop-compatible file system:
 * {@code file:}, {@code hdfs:}, {@code s3a:}, {@code abfs:}... The file is built locally by {@link Checkpoint#save},
 * copied to a temporary name beside the target, then renamed over it, so readers never see a partial checkpoint
 * (atomic on HDFS and local file systems; object stores such as S3 have no atomic rename, there the copy is only
 * complete-or-absent at the temporary name).
 */
public final class HadoopCheckpoints {
  private HadoopCheckpoints() {}

  /** Saves {@code model} and, when not null, {@code optimizer} to {@code uri}, replacing a file already there. */
  public static void save(String uri, Configuration conf, Module model, Optimizer optimizer) throws IOException {
    java.nio.file.Path local = Files.createTempFile("autograd-checkpoint", ".safetensors");
    try {
      Checkpoint.save(local, model, optimizer);
      Path target = new Path(uri);
      FileSystem fs = target.getFileSystem(conf);
      Path parent = target.getParent();
      if (parent != null) {
        fs.mkdirs(parent);
      }
      Path tmp = new Path(parent, "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
      try {
        try (OutputStream out = fs.create(tmp, false)) {
          Files.copy(local, out);
        }
        rename(fs, conf, tmp, target);
      } finally {
        fs.delete(tmp, false); // a no-op after the rename
      }
    } finally {
      Files.deleteIfExists(local);
    }
  }

  /**
   * Loads a checkpoint written by {@link #save} into {@code model} and, when not null, {@code optimizer}; all or
   * nothing, as {@link Checkpoint#load}.
   *
   * @throws java.io.FileNotFoundException if there is no file at {@code uri}
   * @throws IllegalArgumentException if the checkpoint does not fit the model or optimizer
   */
  public static void load(String uri, Configuration conf, Module model, Optimizer optimizer) throws IOException {
    Path source = new Path(uri);
    java.nio.file.Path local = Files.createTempFile("autograd-checkpoint", ".safetensors");
    try {
      try (InputStream in = source.getFileSystem(conf).open(source)) {
        Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
      }
      Checkpoint.load(local, model, optimizer);
    } finally {
      Files.deleteIfExists(local);
    }
  }

  /** Whether a file exists at {@code uri}. */
  public static boolean exists(String uri, Configuration conf) throws IOException {
    Path p = new Path(uri);
    return p.getFileSystem(conf).exists(p);
  }

  private static void rename(FileSystem fs, Configuration conf, Path tmp, Path target) throws IOException {
    FileContext fc;
    try {
      fc = FileContext.getFileContext(fs.getUri(), conf);
    } catch (UnsupportedFileSystemException e) {
      fc = null; // a FileSystem without a FileContext binding: no overwriting rename, delete first
    }
    if (fc != null) {
      fc.rename(tmp, target, Options.Rename.OVERWRITE);
    } else {
      fs.delete(target, false);
      if (!fs.rename(tmp, target)) {
        throw new IOException("could not rename " + tmp + " to " + target);
      }
    }
  }
}
