package dev.autograd.nn;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.autograd.Value;
import dev.autograd.array.NDArray;
import dev.autograd.array.Shapes;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Multi-head scaled dot-product attention (PyTorch's {@code nn.MultiheadAttention(embed_dim, num_heads, dropout=0,
 * bias=True, batch_first=False)}, with kdim = vdim = embedDim): q, k, v are projected by {@code in_proj_weight
 * [3E, E]} (+ {@code in_proj_bias}), split into heads of size E/numHeads, attention weights softmax(q·kᵀ/√d + mask)
 * (with dropout in training mode) multiply v, and the heads are joined and projected by {@code out_proj} (a
 * {@link Linear}). Initialisation as PyTorch: in_proj_weight Xavier-uniform, biases zero, out_proj.weight
 * U(±1/√E).
 *
 * <p>Query {@code [L, N, E]}, key and value {@code [S, N, E]} ({@code [N, L, E]}, {@code [N, S, E]} when batchFirst),
 * or unbatched {@code [L, E]}, {@code [S, E]}.
 *
 * <pre>{@code
 * MultiheadAttention mha = MultiheadAttention.builder(16, 4).batchFirst(true).seed(1).build();
 * MultiheadAttention.Output out = mha.attend(x, x, x).causal().compute(); // out.output() [N, L, 16]
 * }</pre>
 */
public final class MultiheadAttention extends Module {
  private final int embedDim;
  private final int numHeads;
  private final double dropout;
  private final boolean batchFirst;
  private final Value inProjWeight;
  private final Value inProjBias;
  private final Linear outProj;
  private final SplittableRandom rng;

  /**
   * The attended output (laid out as the query) and, when requested, the attention weights: {@code [N, L, S]}
   * averaged over heads, or {@code [N, numHeads, L, S]} per head (unbatched without N), else null. As in PyTorch,
   * in training mode with dropout the weights returned are those after dropout.
   */
  public record Output(Value output, Value attnWeights) {}

  private MultiheadAttention(Builder b) {
    this.embedDim = b.embedDim;
    this.numHeads = b.numHeads;
    this.dropout = b.dropout;
    this.batchFirst = b.batchFirst;
    this.rng = new SplittableRandom(b.seed);
    this.inProjWeight = registerParameter("in_proj_weight",
        Init.xavierUniform().sample(rng, embedDim, 3 * embedDim, 3 * embedDim, embedDim));
    this.inProjBias = b.bias ? registerParameter("in_proj_bias", NDArray.zeros(3 * embedDim)) : null;
    this.outProj = registerModule("out_proj",
        new Linear(embedDim, embedDim, b.bias, Init.pytorchDefault(), Init.zeros(), rng));
  }

  /** @throws IllegalArgumentException unless embedDim and numHeads are positive and numHeads divides embedDim */
  public static Builder builder(int embedDim, int numHeads) {
    return new Builder(embedDim, numHeads);
  }

  /** Self-attention of {@code x} (query = key = value) without masks; the output only. */
  @Override
  public Value forward(Value x) {
    return attend(x, x, x).needWeights(false).compute().output();
  }

  /** Attention without masks, with head-averaged weights (PyTorch's defaults). */
  public Output forward(Value query, Value key, Value value) {
    return attend(query, key, value).compute();
  }

  /** A call to configure with masks and options, then {@link Call#compute()}. */
  public Call attend(Value query, Value key, Value value) {
    return new Call(checkNotNull(query, "query"), checkNotNull(key, "key"), checkNotNull(value, "value"));
  }

  /**
   * The additive causal mask {@code [size, size]}: 0 on and below the diagonal, −∞ above (PyTorch's
   * {@code Transformer.generate_square_subsequent_mask}).
   */
  public static NDArray causalMask(int size) {
    return causalMask(size, size);
  }

  private static NDArray causalMask(int rows, int cols) {
    double[] m = new double[rows * cols];
    for (int i = 0; i < rows; i++) {
      for (int j = i + 1; j < cols; j++) {
        m[i * cols + j] = Double.NEGATIVE_INFINITY;
      }
    }
    return NDArray.fromFlat(m, rows, cols);
  }

  /** Boolean "masked out" entries as an additive mask: −∞ where true, 0 elsewhere. */
  private static NDArray additive(boolean[][] masked) {
    int cols = masked.length == 0 ? 0 : masked[0].length;
    double[] m = new double[masked.length * cols];
    for (int i = 0; i < masked.length; i++) {
      checkArgument(masked[i].length == cols, "MultiheadAttention: mask rows must have equal lengths");
      for (int j = 0; j < cols; j++) {
        m[i * cols + j] = masked[i][j] ? Double.NEGATIVE_INFINITY : 0.0;
      }
    }
    return NDArray.fromFlat(m, masked.length, cols);
  }

  /**
   * One attention call's masks and options, PyTorch's {@code forward} keywords. A row whose every key is masked
   * gives NaN, as in PyTorch.
   */
  public final class Call {
    private final Value query;
    private final Value key;
    private final Value value;
    private NDArray attnMask;
    private NDArray keyPaddingMask;
    private boolean causal;
    private boolean needWeights = true;
    private boolean averageAttnWeights = true;

    private Call(Value query, Value key, Value value) {
      this.query = query;
      this.key = key;
      this.value = value;
    }

    /**
     * An additive float mask added to the scores: {@code [L, S]}, or {@code [N·numHeads, L, S]} per sample and
     * head (PyTorch's layout); −∞ forbids a position.
     */
    public Call attnMask(NDArray additiveMask) {
      this.attnMask = checkNotNull(additiveMask, "attnMask");
      return this;
    }

    /** A boolean {@code [L, S]} mask: true forbids query i to attend to key j (PyTorch's bool attn_mask). */
    public Call attnMask(boolean[][] masked) {
      return attnMask(additive(masked));
    }

    /** An additive {@code [N, S]} mask over the keys of each sample ({@code [S]} unbatched). */
    public Call keyPaddingMask(NDArray additiveMask) {
      this.keyPaddingMask = checkNotNull(additiveMask, "keyPaddingMask");
      return this;
    }

    /** A boolean {@code [N, S]} mask: true marks a padding key that no query attends to. */
    public Call keyPaddingMask(boolean[][] padded) {
      return keyPaddingMask(additive(padded));
    }

    /** Forbids query i to attend to keys j &gt; i (added to any attnMask). */
    public Call causal() {
      this.causal = true;
      return this;
    }

    /** Whether to return the attention weights (default true). */
    public Call needWeights(boolean need) {
      this.needWeights = need;
      return this;
    }

    /** Whether returned weights are averaged over heads (default true) or kept per head. */
    public Call averageAttnWeights(boolean average) {
      this.averageAttnWeights = average;
      return this;
    }

    /** @throws IllegalArgumentException for inconsistent shapes of the inputs or masks */
    public Output compute() {
      return MultiheadAttention.this.compute(this);
    }
  }

  private Output compute(Call c) {
    int e = embedDim;
    boolean unbatched = c.query.rank() == 2;
    int expectedRank = unbatched ? 2 : 3;
    for (Value v : new Value[] {c.query, c.key, c.value}) {
      checkArgument((v.rank() == 2 || v.rank() == 3) && v.rank() == expectedRank && v.shape()[v.rank() - 1] == e,
          "MultiheadAttention: query, key and value must all be [L, N, %s] (batchFirst: [N, L, %s]) or all unbatched "
              + "[L, %s]; got shapes %s, %s, %s", e, e, e, Shapes.lazyFormat(c.query.shape()),
          Shapes.lazyFormat(c.key.shape()), Shapes.lazyFormat(c.value.shape()));
    }
    Value q = toBatchFirst(c.query, unbatched);
    Value k = toBatchFirst(c.key, unbatched);
    Value v = toBatchFirst(c.value, unbatched);
    int n = q.shape()[0];
    int len = q.shape()[1];
    int src = k.shape()[1];
    checkArgument(k.shape()[0] == n && Arrays.equals(k.shape(), v.shape()),
        "MultiheadAttention: key and value must have the same shape and batch as the query; got shapes %s, %s, %s",
        Shapes.lazyFormat(c.query.shape()), Shapes.lazyFormat(c.key.shape()), Shapes.lazyFormat(c.value.shape()));
    int d = e / numHeads;
    Value scores = heads(project(q, 0), n, len, d).mul(1.0 / Math.sqrt(d))
        .matmul(heads(project(k, 1), n, src, d).transpose()); // [N, h, L, S]
    NDArray mask = masks(c, unbatched, n, len, src);
    if (mask != null) {
      scores = scores.add(Value.of(mask.to(scores.dtype()))); // a float64 mask must not promote float32 scores
    }
    Value weights = scores.softmax(-1);
    if (isTraining() && dropout > 0) {
      weights = weights.mul(Value.of(Dropout.keepMask(rng, dropout, weights.dtype(), weights.shape())));
    }
    Value out = weights.matmul(heads(project(v, 2), n, src, d)).permute(0, 2, 1, 3).reshape(n, len, e);
    out = outProj.forward(out);
    Value returned = !c.needWeights ? null : c.averageAttnWeights ? weights.mean(1) : weights;
    if (unbatched) {
      return new Output(out.squeeze(0), returned == null ? null : returned.squeeze(0));
    }
    return new Output(batchFirst ? out : out.transpose(0, 1), returned);
  }

  private Value toBatchFirst(Value x, boolean unbatched) {
    return unbatched ? x.unsqueeze(0) : batchFirst ? x : x.transpose(0, 1);
  }

  /** x·W_partᵀ + b_part for part 0 (q), 1 (k) or 2 (v) of the packed input projection. */
  private Value project(Value x, int part) {
    Value y = x.matmulTransposed(inProjWeight.slice(0, part * embedDim, (part + 1) * embedDim));
    return inProjBias == null ? y : y.add(inProjBias.slice(0, part * embedDim, (part + 1) * embedDim));
  }

  /** [N, T, E] to [N, heads, T, d]. */
  private Value heads(Value x, int n, int t, int d) {
    return x.reshape(n, t, numHeads, d).permute(0, 2, 1, 3);
  }

  /** The sum of the requested masks, broadcastable to [N, h, L, S], or null. */
  private NDArray masks(Call c, boolean unbatched, int n, int len, int src) {
    NDArray total = c.causal ? causalMask(len, src) : null;
    if (c.attnMask != null) {
      int[] s = c.attnMask.shape();
      NDArray m;
      if (s.length == 2) {
        checkArgument(s[0] == len && s[1] == src, "MultiheadAttention: attnMask must be [%s, %s], got %s", len, src,
            Shapes.lazyFormat(s));
        m = c.attnMask;
      } else {
        checkArgument(s.length == 3 && s[0] == n * numHeads && s[1] == len && s[2] == src,
            "MultiheadAttention: attnMask must be [%s, %s] or [%s, %s, %s], got %s", len, src, n * numHeads, len, src,
            Shapes.lazyFormat(s));
        m = c.attnMask.reshape(n, numHeads, len, src);
      }
      total = total == null ? m : total.add(m);
    }
    if (c.keyPaddingMask != null) {
      int[] s = c.keyPaddingMask.shape();
      int[] expected = unbatched ? new int[] {src} : new int[] {n, src};
      checkArgument(Arrays.equals(s, expected), "MultiheadAttention: keyPaddingMask must be %s, got %s",
          Shapes.lazyFormat(expected), Shapes.lazyFormat(s));
      NDArray m = c.keyPaddingMask.reshape(n, 1, 1, src);
      total = total == null ? m : total.add(m);
    }
    return total;
  }

  /** The packed q, k, v projection {@code [3E, E]}. */
  public Value inProjWeight() {
    return inProjWeight;
  }

  /** The packed input bias, or {@code null} without bias. */
  public Value inProjBias() {
    return inProjBias;
  }

  /** The output projection. */
  public Linear outProj() {
    return outProj;
  }

  @Override
  protected String describe() {
    return "MultiheadAttention(" + embedDim + ", numHeads=" + numHeads + ", dropout=" + dropout + ", batchFirst="
        + batchFirst + ")";
  }

  /** Options with PyTorch's defaults: dropout 0, bias true, batchFirst false; seed 0 for weights and masks. */
  public static final class Builder {
    private final int embedDim;
    private final int numHeads;
    private double dropout;
    private boolean bias = true;
    private boolean batchFirst;
    private long seed;

    private Builder(int embedDim, int numHeads) {
      checkArgument(embedDim > 0 && numHeads > 0, "MultiheadAttention: embedDim and numHeads must be positive, got %s "
          + "and %s", embedDim, numHeads);
      checkArgument(embedDim % numHeads == 0, "MultiheadAttention: embedDim (%s) must be divisible by numHeads (%s)",
          embedDim, numHeads);
      this.embedDim = embedDim;
      this.numHeads = numHeads;
    }

    /** Dropout probability on the attention weights in training mode. */
    public Builder dropout(double p) {
      this.dropout = Dropout.checkP("MultiheadAttention", p);
      return this;
    }

    /** Whether in_proj and out_proj have biases. */
    public Builder bias(boolean b) {
      this.bias = b;
      return this;
    }

    /** Inputs and outputs as {@code [N, L, E]} instead of {@code [L, N, E]}. */
    public Builder batchFirst(boolean b) {
      this.batchFirst = b;
      return this;
    }

    /** Seeds the initial weights and the dropout masks. */
    public Builder seed(long s) {
      this.seed = s;
      return this;
    }

    /** The layer with these options. */
    public MultiheadAttention build() {
      return new MultiheadAttention(this);
    }
  }
}
