package dev.autograd.nn;

import dev.autograd.Value;

/**
 * What {@link RNN} and {@link GRU} return: {@code output}, the top layer's hidden state at every step ({@code [L, N,
 * H]}, {@code [N, L, H]} when batchFirst, {@code [L, H]} unbatched), and {@code hN}, every layer's final hidden state
 * ({@code [numLayers, N, H]}, unbatched {@code [numLayers, H]}).
 */
public record RecurrentOutput(Value output, Value hN) {}
