package dev.autograd.nn;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.Value;
import dev.autograd.array.NDArray;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A lookup table of {@code numEmbeddings} vectors of size {@code embeddingDim} (PyTorch's
 * {@code nn.Embedding(num_embeddings, embedding_dim, padding_idx=None)}), initialised N(0, 1). The parameter
 * {@code weight} is {@code [numEmbeddings, embeddingDim]}; the gradient of a row is the sum of the output gradients
 * at the positions that selected it.
 *
 * <p>With a {@code paddingIdx} (negative counts from the end, as in PyTorch), that row starts at zero and never gets
 * a gradient, so it stays whatever it is (zero unless set by hand, in which case it is returned as set).
 *
 * <p>Indices are integers: {@link #forward(int...)} gives {@code [len, embeddingDim]}, {@link #forward(int[][])}
 * {@code [batch, len, embeddingDim]}, and {@link #forward(Value)} takes a value of any shape holding integer values
 * (as doubles) and appends the embedding axis; no gradient flows to the indices.
 *
 * <pre>{@code
 * Embedding emb = new Embedding(1000, 64, 0, rng);   // row 0 is padding
 * Value x = emb.forward(new int[][] {{5, 7, 0}, {3, 0, 0}}); // [2, 3, 64]
 * }</pre>
 */
public final class Embedding extends Module {
  private final int numEmbeddings;
  private final int embeddingDim;
  private final Integer paddingIdx;
  private final Value weight;

  /** Without a padding index. */
  public Embedding(int numEmbeddings, int embeddingDim, RandomGenerator rng) {
    this(numEmbeddings, embeddingDim, null, rng);
  }

  /**
   * @param paddingIdx the padding row in [−numEmbeddings, numEmbeddings), or {@code null} for none
   * @throws IllegalArgumentException for non-positive sizes or a padding index out of range
   */
  public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx, RandomGenerator rng) {
    checkArgument(numEmbeddings > 0 && embeddingDim > 0,
        "Embedding: numEmbeddings and embeddingDim must be positive, got %s and %s", numEmbeddings, embeddingDim);
    checkArgument(paddingIdx == null || (paddingIdx >= -numEmbeddings && paddingIdx < numEmbeddings),
        "Embedding: paddingIdx must be within [-%s, %s), got %s", numEmbeddings, numEmbeddings, paddingIdx);
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx = paddingIdx == null ? null : Math.floorMod(paddingIdx, numEmbeddings);
    double[] init = NDArray.randn(rng, numEmbeddings, embeddingDim).toArray();
    if (this.paddingIdx != null) {
      Arrays.fill(init, this.paddingIdx * embeddingDim, (this.paddingIdx + 1) * embeddingDim, 0.0);
    }
    this.weight = registerParameter("weight", NDArray.fromFlat(init, numEmbeddings, embeddingDim));
  }

  /** The rows at {@code indices}: {@code [indices.length, embeddingDim]}. */
  public Value forward(int... indices) {
    return lookup(indices, new int[] {indices.length});
  }

  /** The rows at a batch of equally long sequences: {@code [batch, len, embeddingDim]}. */
  public Value forward(int[][] indices) {
    int len = indices.length == 0 ? 0 : indices[0].length;
    int[] flat = new int[Math.multiplyExact(indices.length, len)];
    for (int b = 0; b < indices.length; b++) {
      checkArgument(indices[b].length == len, "Embedding: sequences must have equal lengths, got %s at 0 and %s at %s",
          len, indices[b].length, b);
      System.arraycopy(indices[b], 0, flat, b * len, len);
    }
    return lookup(flat, new int[] {indices.length, len});
  }

  /**
   * The rows at the integer values of {@code indices} (any shape): {@code indices.shape + [embeddingDim]}.
   *
   * @throws IllegalArgumentException if a value is not an integer or is out of [0, numEmbeddings)
   */
  @Override
  public Value forward(Value indices) {
    double[] v = indices.data().toArray();
    int[] flat = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      checkArgument(v[i] == Math.rint(v[i]) && Math.abs(v[i]) < Integer.MAX_VALUE,
          "Embedding: indices must hold integers, got %s", v[i]);
      flat[i] = (int) v[i];
    }
    return lookup(flat, indices.shape());
  }

  private Value lookup(int[] flat, int[] indexShape) {
    for (int i : flat) {
      checkArgument(i >= 0 && i < numEmbeddings, "Embedding: index %s is out of range [0, %s)", i, numEmbeddings);
    }
    Value rows = weight.indexSelect(0, flat);
    if (paddingIdx != null) {
      double[] isPad = new double[flat.length];
      for (int i = 0; i < flat.length; i++) {
        isPad[i] = flat[i] == paddingIdx ? 1.0 : 0.0;
      }
      // the same rows, but those of the padding index read from a detached copy so no gradient reaches them
      Value mask = Value.of(NDArray.fromFlat(isPad, flat.length, 1));
      rows = Value.where(mask, weight.detach().indexSelect(0, flat), rows);
    }
    int[] outShape = Arrays.copyOf(indexShape, indexShape.length + 1);
    outShape[indexShape.length] = embeddingDim;
    return rows.reshape(outShape);
  }

  /** The table, {@code [numEmbeddings, embeddingDim]}. */
  public Value weight() {
    return weight;
  }

  /** The padding row (normalised to [0, numEmbeddings)), or {@code null}. */
  public Integer paddingIdx() {
    return paddingIdx;
  }

  @Override
  protected String describe() {
    return "Embedding(" + numEmbeddings + ", " + embeddingDim + (paddingIdx == null ? "" : ", paddingIdx="
        + paddingIdx) + ")";
  }
}
