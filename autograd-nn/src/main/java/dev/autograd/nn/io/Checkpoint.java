package dev.autograd.nn.io;

import dev.autograd.array.NDArray;
import dev.autograd.nn.Module;
import dev.autograd.nn.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Saves and restores a model (and optionally its optimizer) as one safetensors file. Model tensors, parameters and
 * buffers alike, are stored under their {@link Module#stateDict()} names ({@code layers.0.weight},
 * {@code bn.running_mean}), so the file reads directly in Python ({@code safetensors.torch.load_file}); optimizer state
 * is stored under {@code optimizer.*}. Tensors are stored in their dtype (a float32 model's as F32, half the bytes);
 * on loading, every parameter, buffer and optimizer buffer keeps the dtype it has in memory, the file's values
 * converted to it, so a float32 model stays float32 whatever checkpoint it loads.
 */
public final class Checkpoint {
  private static final String OPTIMIZER_PREFIX = "optimizer.";
  private static final String FORMAT = "autograd.format";

  private Checkpoint() {}

  /** Writes the model's parameters and buffers and, when {@code optimizer} is not null, its state; atomic. */
  public static void save(Path file, Module model, Optimizer optimizer) throws IOException {
    Map<String, NDArray> tensors = new LinkedHashMap<>(model.stateDict());
    if (optimizer != null) {
      optimizer.stateDict().forEach((k, v) -> tensors.put(OPTIMIZER_PREFIX + k, v));
    }
    SafeTensors.write(file, tensors, Map.of(FORMAT, "checkpoint/1", "autograd.model", model.getClass().getName()));
  }

  /**
   * Loads a checkpoint written by {@link #save}: the file is validated first (see {@link SafeTensors#read}); then the
   * parameter and buffer names and shapes must match the model exactly, and the optimizer state must be of the
   * optimizer's kind. All or nothing: if any part does not fit, the model and the optimizer are left as they were.
   *
   * @throws CorruptCheckpointException for a damaged file
   * @throws IllegalArgumentException if the checkpoint does not fit the model or optimizer (names, shapes)
   */
  public static void load(Path file, Module model, Optimizer optimizer) throws IOException {
    SafeTensors.Contents contents = SafeTensors.read(file);
    Map<String, NDArray> params = new LinkedHashMap<>();
    Map<String, NDArray> optState = new LinkedHashMap<>();
    contents.tensors().forEach((k, v) -> {
      if (k.startsWith(OPTIMIZER_PREFIX)) {
        optState.put(k.substring(OPTIMIZER_PREFIX.length()), v);
      } else {
        params.put(k, v);
      }
    });
    Map<String, NDArray> before = model.stateDict(); // snapshots (data() never changes under us)
    try {
      model.loadStateDict(params);
      if (optimizer != null) {
        optimizer.loadStateDict(optState); // checks everything before it changes anything
      }
    } catch (IllegalArgumentException e) {
      model.loadStateDict(before);
      throw new IllegalArgumentException("checkpoint " + file + " does not fit: " + e.getMessage(), e);
    }
  }
}
