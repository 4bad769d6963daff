package dev.autograd.examples;

import dev.autograd.Autograd;
import dev.autograd.ModeScope;
import dev.autograd.Value;
import dev.autograd.array.NDArray;
import dev.autograd.nn.Embedding;
import dev.autograd.nn.LayerNorm;
import dev.autograd.nn.Linear;
import dev.autograd.nn.Losses;
import dev.autograd.nn.Module;
import dev.autograd.nn.MultiheadAttention;
import dev.autograd.nn.optim.Adam;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * A character-level language model in the style of Karpathy's makemore: from a list of words, learn p(next character
 * | the previous {@link #BLOCK} characters) and sample new words. Characters are '.' (start and end of a word) and
 * 'a'..'z'. Three models, each scored by its mean negative log-likelihood per character on held-out words: the
 * counted bigram table (the baseline), an MLP over character embeddings (Bengio et al. 2003), and a small causal
 * transformer (pre-norm blocks of multi-head self-attention and an MLP).
 */
public final class CharLm {
  /** Characters of context. */
  public static final int BLOCK = 8;
  static final int VOCAB = 27;
  private static final Pattern WORD = Pattern.compile("[a-z]+");

  private CharLm() {}

  /** Which network predicts the next character. */
  public enum Kind {
    MLP, TRANSFORMER
  }

  /** Training and validation words (90% / 10%, shuffled by the seed). */
  public record Words(List<String> train, List<String> validation, String description) {}

  /** Losses in nats per character, and words sampled from the trained model. */
  public record Result(double bigramValidation, double trainLoss, double validationLoss, List<String> samples) {}

  /** Per-step progress. */
  public interface Listener {
    void onStep(int step, double loss);

    void onEvaluation(int step, double trainLoss, double validationLoss);
  }

  /**
   * Reads one word per line (UTF-8), keeping words that are all letters a-z after lower-casing, without duplicates.
   *
   * @throws UserException if the file holds fewer than 10 such words
   */
  public static Words load(Path file, long seed) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new UserException("no word list at " + file + " (one word per line)");
    }
    LinkedHashSet<String> kept = new LinkedHashSet<>();
    int lines = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lines++;
      String w = line.trim().toLowerCase(Locale.ROOT);
      if (WORD.matcher(w).matches()) {
        kept.add(w);
      }
    }
    if (kept.size() < 10) {
      throw new UserException(file + " has " + kept.size() + " usable words (need at least 10 lines of letters a-z)");
    }
    List<String> words = new ArrayList<>(kept);
    Collections.shuffle(words, new Random(seed));
    int split = (int) Math.round(words.size() * 0.9);
    return new Words(words.subList(0, split), words.subList(split, words.size()), String.format(Locale.ROOT,
        "%s: %,d lines, %,d distinct words of letters a-z (%,d for training, %,d for validation)", file.getFileName(),
        lines, words.size(), split, words.size() - split));
  }

  static int code(char c) {
    return c == '.' ? 0 : c - 'a' + 1;
  }

  static char character(int code) {
    return code == 0 ? '.' : (char) ('a' + code - 1);
  }

  /** Every (context, next character) pair of the words: a word of n letters gives n + 1 examples. */
  record Examples(int[][] contexts, int[] targets) {
    static Examples of(List<String> words) {
      List<int[]> contexts = new ArrayList<>();
      List<Integer> targets = new ArrayList<>();
      for (String w : words) {
        int[] context = new int[BLOCK];
        for (char c : (w + ".").toCharArray()) {
          contexts.add(context.clone());
          targets.add(code(c));
          System.arraycopy(context, 1, context, 0, BLOCK - 1);
          context[BLOCK - 1] = code(c);
        }
      }
      return new Examples(contexts.toArray(new int[0][]), targets.stream().mapToInt(Integer::intValue).toArray());
    }

    int size() {
      return targets.length;
    }
  }

  /** Mean NLL per character of add-one-smoothed bigram counts from {@code train}, on {@code validation}. */
  public static double bigramLoss(List<String> train, List<String> validation) {
    double[][] counts = new double[VOCAB][VOCAB];
    for (double[] row : counts) {
      java.util.Arrays.fill(row, 1.0);
    }
    forEachBigram(train, (a, b) -> counts[a][b]++);
    double[] rowSums = new double[VOCAB];
    for (int a = 0; a < VOCAB; a++) {
      for (double c : counts[a]) {
        rowSums[a] += c;
      }
    }
    double[] total = new double[2];
    forEachBigram(validation, (a, b) -> {
      total[0] -= Math.log(counts[a][b] / rowSums[a]);
      total[1]++;
    });
    return total[0] / total[1];
  }

  private static void forEachBigram(List<String> words, java.util.function.BiConsumer<Integer, Integer> visit) {
    for (String w : words) {
      int prev = 0;
      for (char c : (w + ".").toCharArray()) {
        visit.accept(prev, code(c));
        prev = code(c);
      }
    }
  }

  /** A model mapping contexts [N, BLOCK] to next-character logits [N, VOCAB]. */
  abstract static class Model extends Module {
    abstract Value logits(int[][] contexts);

    @Override
    public Value forward(Value contexts) {
      double[] v = contexts.data().toArray();
      int n = contexts.shape()[0];
      int[][] c = new int[n][BLOCK];
      for (int i = 0; i < n; i++) {
        for (int t = 0; t < BLOCK; t++) {
          c[i][t] = (int) v[i * BLOCK + t];
        }
      }
      return logits(c);
    }
  }

  /** makemore's MLP: embeddings of the context characters, concatenated, through one tanh layer. */
  static final class Mlp extends Model {
    private final Embedding embedding;
    private final Linear hidden;
    private final Linear out;

    Mlp(int embeddingDim, int hiddenSize, SplittableRandom rng) {
      embedding = registerModule("embedding", new Embedding(VOCAB, embeddingDim, rng));
      hidden = registerModule("hidden", new Linear(BLOCK * embeddingDim, hiddenSize, rng));
      out = registerModule("out", new Linear(hiddenSize, VOCAB, rng));
    }

    @Override
    Value logits(int[][] contexts) {
      Value e = embedding.forward(contexts); // [N, BLOCK, d]
      return out.forward(hidden.forward(e.reshape(contexts.length, -1)).tanh());
    }
  }

  /** One pre-norm transformer block: x + attention(LN(x)), then x + MLP(LN(x)). */
  static final class Block extends Module {
    private final LayerNorm norm1;
    private final MultiheadAttention attention;
    private final LayerNorm norm2;
    private final Linear up;
    private final Linear down;

    Block(int d, int heads, SplittableRandom rng) {
      norm1 = registerModule("norm1", new LayerNorm(d));
      attention = registerModule("attention", MultiheadAttention.builder(d, heads).batchFirst(true)
          .seed(rng.nextLong()).build());
      norm2 = registerModule("norm2", new LayerNorm(d));
      up = registerModule("up", new Linear(d, 4 * d, rng));
      down = registerModule("down", new Linear(4 * d, d, rng));
    }

    @Override
    public Value forward(Value x) {
      Value h = norm1.forward(x);
      x = x.add(attention.attend(h, h, h).causal().needWeights(false).compute().output());
      return x.add(down.forward(up.forward(norm2.forward(x)).relu()));
    }
  }

  /** Token and position embeddings, causal blocks, a final norm and a linear head on the last position. */
  static final class Transformer extends Model {
    private final Embedding tokens;
    private final Embedding positions;
    private final List<Block> blocks = new ArrayList<>();
    private final LayerNorm norm;
    private final Linear head;

    Transformer(int d, int heads, int layers, SplittableRandom rng) {
      tokens = registerModule("tokens", new Embedding(VOCAB, d, rng));
      positions = registerModule("positions", new Embedding(BLOCK, d, rng));
      for (int i = 0; i < layers; i++) {
        blocks.add(registerModule("block" + i, new Block(d, heads, rng)));
      }
      norm = registerModule("norm", new LayerNorm(d));
      head = registerModule("head", new Linear(d, VOCAB, rng));
    }

    @Override
    Value logits(int[][] contexts) {
      int[] at = new int[BLOCK];
      java.util.Arrays.setAll(at, i -> i);
      Value x = tokens.forward(contexts).add(positions.forward(at));
      for (Block b : blocks) {
        x = b.forward(x);
      }
      // the last position has seen the whole context: its output predicts the next character
      return head.forward(norm.forward(x.slice(1, BLOCK - 1, BLOCK).reshape(contexts.length, -1)));
    }
  }

  static Model create(Kind kind, SplittableRandom rng) {
    return kind == Kind.MLP ? new Mlp(16, 192, rng) : new Transformer(48, 4, 2, rng);
  }

  /**
   * Trains {@code kind} with AdamW on random mini-batches for {@code steps} steps (learning rate decayed tenfold over
   * the last quarter), estimating both losses every {@code evalEvery} steps and measuring them at the end (all
   * validation examples, 50,000 training examples), then samples {@code samples} words.
   */
  public static Result train(Words words, Kind kind, int steps, int batch, int evalEvery, int samples, long seed,
      Listener listener) {
    SplittableRandom rng = new SplittableRandom(seed);
    Examples train = Examples.of(words.train());
    Examples validation = Examples.of(words.validation());
    Model model = create(kind, rng);
    double lr = kind == Kind.MLP ? 3e-3 : 2e-3;
    Adam opt = Adam.adamW(model.parameters()).lr(lr).weightDecay(0.01).build();
    double trainLoss = Double.NaN;
    double validationLoss = Double.NaN;
    for (int step = 1; step <= steps; step++) {
      opt.setLearningRate(step > steps * 3 / 4 ? lr / 10 : lr);
      int[] pick = rng.ints(batch, 0, train.size()).toArray();
      int[][] contexts = new int[batch][];
      int[] targets = new int[batch];
      for (int i = 0; i < batch; i++) {
        contexts[i] = train.contexts()[pick[i]];
        targets[i] = train.targets()[pick[i]];
      }
      Value loss = Losses.crossEntropy(model.logits(contexts), targets);
      opt.zeroGrad();
      loss.backward();
      opt.step();
      listener.onStep(step, loss.item());
      if (step % evalEvery == 0 || step == steps) { // estimates on 4,096 examples; the final figures on all
        boolean last = step == steps;
        trainLoss = evaluate(model, train, last ? 50_000 : 4096, rng);
        validationLoss = evaluate(model, validation, last ? Integer.MAX_VALUE : 4096, rng);
        listener.onEvaluation(step, trainLoss, validationLoss);
      }
    }
    List<String> sampled = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      sampled.add(sample(model, rng));
    }
    return new Result(bigramLoss(words.train(), words.validation()), trainLoss, validationLoss, sampled);
  }

  /** Mean NLL per character over (up to {@code limit} random) examples, in eval mode without a graph. */
  static double evaluate(Model model, Examples data, int limit, SplittableRandom rng) {
    int n = Math.min(limit, data.size());
    int[] rows = n == data.size() ? java.util.stream.IntStream.range(0, n).toArray()
        : rng.ints(n, 0, data.size()).toArray();
    double total = 0;
    model.eval();
    try (ModeScope s = Autograd.noGrad()) {
      for (int from = 0; from < n; from += 2048) {
        int to = Math.min(n, from + 2048);
        int[][] contexts = new int[to - from][];
        int[] targets = new int[to - from];
        for (int i = from; i < to; i++) {
          contexts[i - from] = data.contexts()[rows[i]];
          targets[i - from] = data.targets()[rows[i]];
        }
        total += Losses.crossEntropy(model.logits(contexts), targets).item() * (to - from);
      }
    } finally {
      model.train();
    }
    return total / n;
  }

  /** Draws characters from the model's softmax until it ends the word (or 30 letters). */
  static String sample(Model model, SplittableRandom rng) {
    int[] context = new int[BLOCK];
    StringBuilder word = new StringBuilder();
    model.eval();
    try (ModeScope s = Autograd.noGrad()) {
      while (word.length() < 30) {
        NDArray p = model.logits(new int[][] {context}).softmax(1).data();
        double u = rng.nextDouble();
        int next = VOCAB - 1;
        for (int c = 0; c < VOCAB; c++) {
          u -= p.get(0, c);
          if (u < 0) {
            next = c;
            break;
          }
        }
        if (next == 0) {
          break;
        }
        word.append(character(next));
        System.arraycopy(context, 1, context, 0, BLOCK - 1);
        context[BLOCK - 1] = next;
      }
    } finally {
      model.train();
    }
    return word.toString();
  }
}
