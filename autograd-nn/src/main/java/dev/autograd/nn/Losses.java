package dev.autograd.nn;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.Value;
import dev.autograd.array.DType;
import dev.autograd.array.NDArray;
import dev.autograd.array.Shapes;
import java.util.Arrays;

/**
 * Loss functions, each a composition of core ops (their gradients come from the engine, none is hand-written), with
 * PyTorch's names, argument order, defaults and formulas. All take a {@link Reduction} (none, mean or sum;
 * {@link #klDiv} also batchmean); the overloads without one use {@link Reduction#MEAN}. Losses with several options
 * take an options object ({@link CrossEntropyOptions}, {@link BceOptions}, {@link TripletMarginOptions}). Inputs and
 * targets must have the same shape unless said otherwise (PyTorch's broadcasting of targets is not offered).
 *
 * <p>A loss computes in its inputs' dtype: float32 predictions and targets give a float32 loss. Inputs and targets
 * of different dtypes promote as PyTorch's operators do (float32 with float64 gives float64); weights, which are
 * constants of the loss, are converted to the input's dtype (a weight vector given as doubles is float64); and the
 * constants a loss creates itself (counts, fills, masks) are of the input's dtype, so they never promote it.
 */
public final class Losses {
  /** PyTorch clamps log-probabilities in BCE at −100 so that p = 0 or 1 gives a large finite loss, never ∞. */
  private static final double MIN_LOG = -100.0;
  /** PyTorch's cosine_embedding_loss adds this to each squared magnitude. */
  private static final double COSINE_EPSILON = 1e-12;

  private Losses() {}

  /** Mean squared error: (prediction − target)². */
  public static Value mse(Value prediction, Value target, Reduction r) {
    checkSameShape("mse", prediction, target);
    return reduce("mse", prediction.sub(target).pow(2), r);
  }

  public static Value mse(Value prediction, Value target) {
    return mse(prediction, target, Reduction.MEAN);
  }

  /** Mean absolute error: |prediction − target|. */
  public static Value l1(Value prediction, Value target, Reduction r) {
    checkSameShape("l1", prediction, target);
    return reduce("l1", prediction.sub(target).abs(), r);
  }

  public static Value l1(Value prediction, Value target) {
    return l1(prediction, target, Reduction.MEAN);
  }

  /**
   * PyTorch's {@code huber_loss(input, target, reduction, delta)}: ½d² where |d| &lt; δ, else δ(|d| − ½δ), d = input −
   * target. Smooth to first order (the second derivative jumps at |d| = δ).
   *
   * @throws IllegalArgumentException if delta is not > 0
   */
  public static Value huber(Value input, Value target, Reduction r, double delta) {
    checkSameShape("huber", input, target);
    checkArgument(delta > 0 && Double.isFinite(delta), "huber: delta must be finite and > 0, got %s", delta);
    return reduce("huber", huberTerms(input.sub(target), delta), r);
  }

  /** {@link #huber(Value, Value, Reduction, double)} with δ = 1 and the mean. */
  public static Value huber(Value input, Value target) {
    return huber(input, target, Reduction.MEAN, 1.0);
  }

  /**
   * PyTorch's {@code smooth_l1_loss(input, target, reduction, beta)}: ½d²/β where |d| &lt; β, else |d| − ½β; β = 0
   * is the L1 loss (as in PyTorch). Equal to huber/β for β > 0.
   *
   * @throws IllegalArgumentException if beta is negative
   */
  public static Value smoothL1(Value input, Value target, Reduction r, double beta) {
    checkSameShape("smoothL1", input, target);
    checkArgument(beta >= 0 && Double.isFinite(beta), "smoothL1: beta must be finite and >= 0, got %s", beta);
    Value d = input.sub(target);
    return reduce("smoothL1", beta == 0 ? d.abs() : huberTerms(d, beta).div(beta), r);
  }

  /** {@link #smoothL1(Value, Value, Reduction, double)} with β = 1 and the mean. */
  public static Value smoothL1(Value input, Value target) {
    return smoothL1(input, target, Reduction.MEAN, 1.0);
  }

  /** ½c² + δ(|d| − |c|) with c = clamp(d, −δ, δ): the Huber terms without a branch on |d| &lt; δ. */
  private static Value huberTerms(Value d, double delta) {
    Value c = d.clamp(-delta, delta);
    return c.pow(2).mul(0.5).add(d.abs().sub(c.abs()).mul(delta));
  }

  /**
   * Binary cross-entropy on probabilities: −w·(t·log p + (1−t)·log(1−p)), with each log clamped at −100 like
   * PyTorch. Prefer {@link #bceWithLogits} when you have logits: it is exact for any logit.
   *
   * @throws IllegalArgumentException if a probability or target lies outside [0, 1], or for a posWeight (a
   *     bceWithLogits option)
   */
  public static Value bce(Value probabilities, Value targets, BceOptions options) {
    checkSameShape("bce", probabilities, targets);
    checkUnitInterval("bce", "probabilities", probabilities.data());
    checkUnitInterval("bce", "targets", targets.data());
    checkArgument(options.posWeight() == null, "bce: posWeight is an option of bceWithLogits only");
    Value logP = clampedLog(probabilities);
    Value logNotP = clampedLog(probabilities.neg().add(1.0));
    Value loss = targets.mul(logP).add(targets.neg().add(1.0).mul(logNotP)).neg();
    return reduce("bce", weighted("bce", loss, options.weight(), "weight"), options.reduction());
  }

  public static Value bce(Value probabilities, Value targets, Reduction r) {
    return bce(probabilities, targets, BceOptions.builder().reduction(r).build());
  }

  public static Value bce(Value probabilities, Value targets) {
    return bce(probabilities, targets, Reduction.MEAN);
  }

  /** log(max(p, e^−100)): the value of PyTorch's clamp, with a zero (not NaN) gradient where it clamps. */
  private static Value clampedLog(Value p) {
    return p.clamp(Math.exp(MIN_LOG), 1.0).log();
  }

  /**
   * Binary cross-entropy from logits, PyTorch's {@code binary_cross_entropy_with_logits}: with l = 1 + (p_c − 1)·t
   * (l = 1 without posWeight), the loss is w·[(1−t)·x + l·softplus(−x)], which is −w·[p_c·t·log σ(x) + (1−t)·log(1 −
   * σ(x))] computed stably for any x (±1000 included), as PyTorch's formula.
   *
   * @throws IllegalArgumentException if a target lies outside [0, 1], or weight/posWeight do not broadcast to the
   *     input
   */
  public static Value bceWithLogits(Value logits, Value targets, BceOptions options) {
    checkSameShape("bceWithLogits", logits, targets);
    checkUnitInterval("bceWithLogits", "targets", targets.data());
    Value negativePart = targets.neg().add(1.0).mul(logits);
    Value softplusNeg = logits.neg().softplus();
    Value loss;
    if (options.posWeight() == null) {
      loss = negativePart.add(softplusNeg);
    } else {
      checkBroadcasts("bceWithLogits", "posWeight", options.posWeight(), logits);
      Value logWeight = options.posWeight().to(logits.dtype()).sub(1.0).mul(targets).add(1.0);
      loss = negativePart.add(logWeight.mul(softplusNeg));
    }
    return reduce("bceWithLogits", weighted("bceWithLogits", loss, options.weight(), "weight"),
        options.reduction());
  }

  public static Value bceWithLogits(Value logits, Value targets, Reduction r) {
    return bceWithLogits(logits, targets, BceOptions.builder().reduction(r).build());
  }

  public static Value bceWithLogits(Value logits, Value targets) {
    return bceWithLogits(logits, targets, Reduction.MEAN);
  }

  private static Value weighted(String op, Value loss, Value weight, String what) {
    if (weight == null) {
      return loss;
    }
    checkBroadcasts(op, what, weight, loss);
    return loss.mul(weight.to(loss.dtype()));
  }

  /** Cross-entropy from logits {@code [N, C]} with integer class labels, via a stable log-softmax. */
  public static Value crossEntropy(Value logits, int[] labels) {
    return crossEntropy(logits, labels, CrossEntropyOptions.defaults());
  }

  /**
   * {@link #crossEntropy(Value, Value, CrossEntropyOptions)} with PyTorch's defaults: the target holds class indices
   * (input shape without the class axis) or probabilities (the input's shape).
   */
  public static Value crossEntropy(Value logits, Value target) {
    return crossEntropy(logits, target, CrossEntropyOptions.defaults());
  }

  /** Cross-entropy with label smoothing ε and a reduction, the other options PyTorch's defaults. */
  public static Value crossEntropy(Value logits, int[] labels, double labelSmoothing, Reduction r) {
    return crossEntropy(logits, labels,
        CrossEntropyOptions.builder().labelSmoothing(labelSmoothing).reduction(r).build());
  }

  /**
   * PyTorch's {@code cross_entropy(input, target, weight, ignore_index, reduction, label_smoothing)} with class-index
   * labels: the logits have the classes on axis 1 ({@code [N, C]}, or {@code [N, C, d1, …]} with the labels of
   * {@code [N, d1, …]} flattened in row-major order), or are a vector {@code [C]} with one label. Per target, with
   * log-probabilities ℓ = logSoftmax over the classes and class weights w (1 without): the loss is −w_y·ℓ_y, and with
   * label smoothing ε, (1−ε)·(−w_y·ℓ_y) + (ε/C)·(−Σ_c w_c·ℓ_c). Targets equal to ignoreIndex contribute 0. MEAN
   * divides each of the two sums by Σ w_y over the targets not ignored (the count of them without weights), as
   * PyTorch: NaN when every target is ignored. The label's log-probability is gathered, never multiplied by a one-hot
   * row, so a −∞ logit elsewhere in the row (a mask) leaves the loss finite, as in PyTorch.
   *
   * @throws IllegalArgumentException for logits of rank 0, a label count that does not match, or a label outside [0,
   *     C) that is not ignoreIndex
   */
  public static Value crossEntropy(Value logits, int[] labels, CrossEntropyOptions options) {
    checkArgument(logits.rank() >= 1, "crossEntropy: expected logits of shape [N, C] or [N, C, d1, ...] (or [C]), "
        + "got %s", Shapes.lazyFormat(logits.shape()));
    return classIndexLoss("crossEntropy", logits.logSoftmax(logits.rank() == 1 ? 0 : 1), labels, options,
        options.labelSmoothing());
  }

  /**
   * PyTorch's {@code cross_entropy} with the target a value: of class indices when its shape is the input's without
   * the class axis (see {@link #crossEntropy(Value, int[], CrossEntropyOptions)}), or of class probabilities when it
   * has the input's shape (soft labels). With probabilities q (smoothed to (1−ε)·q + ε/C), the loss per sample is
   * −Σ_c w_c·q_c·ℓ_c, and MEAN divides by the number of samples (N·d1⋯, not by the weights), as PyTorch;
   * ignoreIndex must then be negative (PyTorch: not supported for probability targets).
   */
  public static Value crossEntropy(Value logits, Value target, CrossEntropyOptions options) {
    checkArgument(logits.rank() >= 1, "crossEntropy: expected logits of shape [N, C] or [N, C, d1, ...] (or [C]), "
        + "got %s", Shapes.lazyFormat(logits.shape()));
    int classAxis = logits.rank() == 1 ? 0 : 1;
    Value logP = logits.logSoftmax(classAxis);
    if (Arrays.equals(target.shape(), logits.shape())) {
      return probabilityLoss(logP, target, classAxis, options);
    }
    checkTargetShape("crossEntropy", logits, target);
    return classIndexLoss("crossEntropy", logP, classIndices("crossEntropy", target), options,
        options.labelSmoothing());
  }

  private static Value probabilityLoss(Value logP, Value target, int classAxis, CrossEntropyOptions o) {
    checkArgument(o.ignoreIndex() < 0, "crossEntropy: ignoreIndex is not supported for probability targets, got %s",
        o.ignoreIndex());
    int classes = logP.shape()[classAxis];
    Value q = target;
    if (o.labelSmoothing() > 0) {
      q = q.mul(1 - o.labelSmoothing()).add(o.labelSmoothing() / classes);
    }
    Value terms = logP.mul(q);
    if (o.weight() != null) {
      terms = terms.mul(classWeightsAlong("crossEntropy", o.weight(), classes, classAxis, logP));
    }
    return reduce("crossEntropy", terms.sum(classAxis).neg(), o.reduction());
  }

  /** The weight vector [C] in the dtype of {@code input}, shaped to broadcast along {@code axis} of it. */
  private static Value classWeightsAlong(String op, Value weight, int classes, int axis, Value input) {
    checkArgument(weight.rank() == 1 && weight.shape()[0] == classes,
        "%s: weight must be a vector of one weight per class, shape [%s], got %s", op, classes,
        Shapes.lazyFormat(weight.shape()));
    int[] shape = new int[input.rank()];
    Arrays.fill(shape, 1);
    shape[axis] = classes;
    return weight.to(input.dtype()).reshape(shape);
  }

  /** Negative log-likelihood of log-probabilities {@code [N, C]} at the labels. */
  public static Value nll(Value logProbabilities, int[] labels, Reduction r) {
    return nll(logProbabilities, labels, CrossEntropyOptions.builder().reduction(r).build());
  }

  public static Value nll(Value logProbabilities, int[] labels) {
    return nll(logProbabilities, labels, Reduction.MEAN);
  }

  /** {@link #nll(Value, int[])} with the labels as a value of class indices. */
  public static Value nll(Value logProbabilities, Value labels) {
    return nll(logProbabilities, labels, CrossEntropyOptions.defaults());
  }

  /**
   * PyTorch's {@code nll_loss(input, target, weight, ignore_index, reduction)}: −w_y·input_y per target, with the
   * shapes, weights, ignoreIndex and MEAN of {@link #crossEntropy(Value, int[], CrossEntropyOptions)} (the input is
   * taken as log-probabilities as given).
   *
   * @throws IllegalArgumentException as crossEntropy, and for label smoothing (a crossEntropy option)
   */
  public static Value nll(Value logProbabilities, int[] labels, CrossEntropyOptions options) {
    checkArgument(options.labelSmoothing() == 0, "nll: label smoothing is an option of crossEntropy only");
    checkArgument(logProbabilities.rank() >= 1, "nll: expected log-probabilities of shape [N, C] or [N, C, d1, ...] "
        + "(or [C]), got %s", Shapes.lazyFormat(logProbabilities.shape()));
    return classIndexLoss("nll", logProbabilities, labels, options, 0);
  }

  /** {@link #nll(Value, int[], CrossEntropyOptions)} with the labels as a value of class indices. */
  public static Value nll(Value logProbabilities, Value labels, CrossEntropyOptions options) {
    checkArgument(logProbabilities.rank() >= 1, "nll: expected log-probabilities of shape [N, C] or [N, C, d1, ...] "
        + "(or [C]), got %s", Shapes.lazyFormat(logProbabilities.shape()));
    checkTargetShape("nll", logProbabilities, labels);
    return nll(logProbabilities, classIndices("nll", labels), options);
  }

  /**
   * The class-index loss over log-probabilities with the classes on axis 1 (axis 0 for a vector): −w_y·ℓ_y per kept
   * target, plus the smoothing term, reduced as PyTorch (see crossEntropy).
   */
  private static Value classIndexLoss(String op, Value logP, int[] labels, CrossEntropyOptions o, double smoothing) {
    boolean unbatched = logP.rank() == 1;
    Value input = unbatched ? logP.unsqueeze(0) : logP;
    int[] shape = input.shape();
    int classes = shape[1];
    int[] targetShape = new int[shape.length - 1];
    targetShape[0] = shape[0];
    System.arraycopy(shape, 2, targetShape, 1, shape.length - 2);
    int count = Math.toIntExact(Arrays.stream(targetShape).asLongStream().reduce(1, (a, b) -> a * b));
    checkArgument(labels.length == count, "%s: %s targets expected for input of shape %s (its shape without the "
        + "class axis, %s), got %s labels", op, count, Shapes.lazyFormat(logP.shape()),
        Shapes.lazyFormat(unbatched ? new int[0] : targetShape), labels.length);
    Value rows = classesLast(input); // [count, C], rows in the targets' row-major order
    int kept = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != o.ignoreIndex()) {
        checkArgument(labels[i] >= 0 && labels[i] < classes, "%s: label %s at position %s is outside [0, %s) and "
            + "is not ignoreIndex (%s)", op, labels[i], i, classes, o.ignoreIndex());
        kept++;
      }
    }
    int[] keptRows = new int[kept];
    int[] keptLabels = new int[kept];
    int[] flat = new int[kept];
    for (int i = 0, k = 0; i < labels.length; i++) {
      if (labels[i] != o.ignoreIndex()) {
        keptRows[k] = i;
        keptLabels[k] = labels[i];
        flat[k] = i * classes + labels[i];
        k++;
      }
    }
    // gathered, never multiplied by a one-hot row: no 0·∞ from masked (−∞) entries, and ignored rows are not read
    Value loss = rows.reshape(-1).indexSelect(0, flat).neg();
    Value denominator = Value.scalar(kept, logP.dtype()); // a float64 count would promote a float32 mean
    Value w = o.weight() == null ? null : classWeightsAlong(op, o.weight(), classes, 0, loss);
    if (w != null) {
      Value wy = w.indexSelect(0, keptLabels);
      loss = loss.mul(wy);
      denominator = wy.sum();
    }
    Value smooth = null;
    if (smoothing > 0) {
      Value keptRowsLogP = rows.indexSelect(0, keptRows);
      if (w != null) {
        keptRowsLogP = keptRowsLogP.mul(w);
      }
      smooth = keptRowsLogP.sum(1).neg();
    }
    Value result;
    switch (o.reduction()) {
      case SUM -> {
        result = loss.sum();
        if (smooth != null) {
          result = result.mul(1 - smoothing).add(smooth.sum().mul(smoothing / classes));
        }
      }
      case MEAN -> {
        result = loss.sum().div(denominator);
        if (smooth != null) {
          result = result.mul(1 - smoothing).add(smooth.sum().div(denominator).mul(smoothing / classes));
        }
      }
      case NONE -> {
        Value perKept = smooth == null ? loss : loss.mul(1 - smoothing).add(smooth.mul(smoothing / classes));
        Value all = kept == count ? perKept : Value.zeros(perKept.dtype(), count).indexAdd(0, keptRows, perKept);
        result = all.reshape(unbatched ? new int[0] : targetShape);
      }
      default -> throw batchMeanRejected(op);
    }
    return result;
  }

  /** [N, C, d1, …] → [N·d1⋯, C], rows in row-major order of [N, d1, …]. */
  private static Value classesLast(Value x) {
    if (x.rank() == 2) {
      return x;
    }
    int[] order = new int[x.rank()];
    order[0] = 0;
    for (int i = 2; i < x.rank(); i++) {
      order[i - 1] = i;
    }
    order[x.rank() - 1] = 1;
    return x.permute(order).reshape(-1, x.shape()[1]);
  }

  private static void checkTargetShape(String op, Value input, Value target) {
    int[] expected = new int[Math.max(0, input.rank() - 1)];
    if (input.rank() >= 2) {
      expected[0] = input.shape()[0];
      System.arraycopy(input.shape(), 2, expected, 1, input.rank() - 2);
    }
    checkArgument(Arrays.equals(target.shape(), expected), "%s: target of shape %s fits neither class indices of "
        + "shape %s nor probabilities of the input's shape %s", op, Shapes.lazyFormat(target.shape()),
        Shapes.lazyFormat(expected), Shapes.lazyFormat(input.shape()));
  }

  /** Class indices held in a value: each element an integer (negative ones may be the ignore index). */
  private static int[] classIndices(String op, Value labels) {
    double[] d = labels.data().toArray();
    int[] out = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      checkArgument(d[i] == Math.rint(d[i]) && Math.abs(d[i]) <= Integer.MAX_VALUE,
          "%s: label %s at position %s is not a class index (an integer)", op, d[i], i);
      out[i] = (int) d[i];
    }
    return out;
  }

  /**
   * PyTorch's {@code kl_div(input, target, reduction, log_target)}: the input holds log-probabilities; per element
   * t·(log t − input), 0 where t = 0 (xlogy), or with logTarget (target as log-probabilities) e^t·(t − input).
   * {@link Reduction#BATCHMEAN} gives the true KL divergence of a batch (the sum over the first axis' size); MEAN, as
   * PyTorch's default, averages over every element.
   */
  public static Value klDiv(Value input, Value target, Reduction r, boolean logTarget) {
    checkSameShape("klDiv", input, target);
    Value terms;
    if (logTarget) {
      terms = target.exp().mul(target.sub(input));
    } else {
      NDArray zero = target.data().eq(0.0);
      Value safeTarget = Value.where(Value.of(zero), Value.ones(target.dtype(), target.shape()), target);
      terms = target.mul(safeTarget.log()).sub(target.mul(input));
    }
    return r == Reduction.BATCHMEAN ? r.apply(terms) : reduce("klDiv", terms, r);
  }

  /** {@link #klDiv(Value, Value, Reduction, boolean)} with PyTorch's defaults: MEAN, the target as probabilities. */
  public static Value klDiv(Value input, Value target) {
    return klDiv(input, target, Reduction.MEAN, false);
  }

  /**
   * PyTorch's {@code cosine_embedding_loss(x1, x2, y, margin, reduction)}: with cos the cosine similarity of rows
   * (along the last axis; inputs {@code [N, D]} with y {@code [N]}, or {@code [D]} with a scalar y) computed as
   * Σx1x2/√((Σx1² + 1e-12)(Σx2² + 1e-12)), the loss is 1 − cos where y = 1 and max(0, cos − margin) where y = −1.
   *
   * @throws IllegalArgumentException for a label other than ±1, a margin outside [−1, 1], or shapes that do not fit
   */
  public static Value cosineEmbedding(Value x1, Value x2, Value y, double margin, Reduction r) {
    checkSameShape("cosineEmbedding", x1, x2);
    checkArgument(x1.rank() == 1 || x1.rank() == 2, "cosineEmbedding: inputs must be [N, D] or [D], got %s",
        Shapes.lazyFormat(x1.shape()));
    int[] expected = x1.rank() == 2 ? new int[] {x1.shape()[0]} : new int[0];
    checkArgument(Arrays.equals(y.shape(), expected), "cosineEmbedding: target shape %s, expected %s for inputs of "
        + "shape %s", Shapes.lazyFormat(y.shape()), Shapes.lazyFormat(expected), Shapes.lazyFormat(x1.shape()));
    checkPlusMinusOne("cosineEmbedding", y);
    checkArgument(margin >= -1 && margin <= 1, "cosineEmbedding: margin must be in [-1, 1], got %s", margin);
    int axis = x1.rank() - 1;
    Value dot = x1.mul(x2).sum(axis);
    Value norms = x1.pow(2).sum(axis).add(COSINE_EPSILON).mul(x2.pow(2).sum(axis).add(COSINE_EPSILON)).sqrt();
    Value cos = dot.div(norms);
    Value positive = Value.of(y.data().eq(1.0));
    Value loss = Value.where(positive, cos.neg().add(1.0), cos.sub(margin).relu());
    return reduce("cosineEmbedding", loss, r);
  }

  public static Value cosineEmbedding(Value x1, Value x2, Value y) {
    return cosineEmbedding(x1, x2, y, 0.0, Reduction.MEAN);
  }

  /**
   * PyTorch's {@code margin_ranking_loss(x1, x2, y, margin, reduction)}: max(0, −y·(x1 − x2) + margin), y = 1 when x1
   * should rank higher, −1 when x2 should. Any finite margin (a negative one tolerates that much misordering).
   */
  public static Value marginRanking(Value x1, Value x2, Value y, double margin, Reduction r) {
    checkSameShape("marginRanking", x1, x2);
    checkSameShape("marginRanking", x1, y);
    checkPlusMinusOne("marginRanking", y);
    checkArgument(Double.isFinite(margin), "marginRanking: margin must be finite, got %s", margin);
    return reduce("marginRanking", y.mul(x1.sub(x2)).neg().add(margin).relu(), r);
  }

  public static Value marginRanking(Value x1, Value x2, Value y) {
    return marginRanking(x1, x2, y, 0.0, Reduction.MEAN);
  }

  /**
   * PyTorch's {@code triplet_margin_loss(anchor, positive, negative, margin, p, eps, swap, reduction)}:
   * max(d(a, p) − d(a, n) + margin, 0) with d(x, y) = ‖x − y + eps‖_p along the last axis (PyTorch's
   * pairwise_distance); with swap, d(a, n) is replaced by min(d(a, n), d(p, n)). Inputs {@code [N, D]} or {@code [D]}.
   */
  public static Value tripletMargin(Value anchor, Value positive, Value negative, TripletMarginOptions options) {
    checkSameShape("tripletMargin", anchor, positive);
    checkSameShape("tripletMargin", anchor, negative);
    checkArgument(anchor.rank() == 1 || anchor.rank() == 2, "tripletMargin: inputs must be [N, D] or [D], got %s",
        Shapes.lazyFormat(anchor.shape()));
    Value dPos = pairwiseDistance(anchor, positive, options);
    Value dNeg = pairwiseDistance(anchor, negative, options);
    if (options.swap()) {
      dNeg = dNeg.minimum(pairwiseDistance(positive, negative, options));
    }
    return reduce("tripletMargin", dPos.sub(dNeg).add(options.margin()).relu(), options.reduction());
  }

  public static Value tripletMargin(Value anchor, Value positive, Value negative) {
    return tripletMargin(anchor, positive, negative, TripletMarginOptions.defaults());
  }

  private static Value pairwiseDistance(Value x, Value y, TripletMarginOptions o) {
    Value d = x.sub(y).add(o.eps()).abs();
    int axis = x.rank() - 1;
    return o.p() == 2 ? d.pow(2).sum(axis).sqrt() : d.pow(o.p()).sum(axis).pow(1 / o.p());
  }

  /** Max-margin (hinge) loss for labels in {−1, +1}: relu(1 − y·score), as in micrograd's demo. */
  public static Value hinge(Value scores, Value labels, Reduction r) {
    checkSameShape("hinge", scores, labels);
    checkPlusMinusOne("hinge", labels);
    return reduce("hinge", labels.mul(scores).neg().add(1.0).relu(), r);
  }

  public static Value hinge(Value scores, Value labels) {
    return hinge(scores, labels, Reduction.MEAN);
  }

  /** The L2 penalty Σ‖p‖² over parameters (multiply by the regularisation strength and add to a loss). */
  public static Value l2Penalty(java.util.List<Value> parameters) {
    Value total = null; // not a float64 zero to start from: it would make the penalty of float32 parameters float64
    for (Value p : parameters) {
      Value term = p.pow(2).sum();
      total = total == null ? term : total.add(term);
    }
    return total == null ? Value.scalar(0) : total;
  }

  /** Rows of the identity, float64: {@code [labels.length, classes]}. */
  public static NDArray oneHot(int[] labels, int classes) {
    return oneHot(labels, classes, DType.FLOAT64);
  }

  /** Rows of the identity of {@code dtype} (a float64 target would promote float32 predictions). */
  public static NDArray oneHot(int[] labels, int classes, DType dtype) {
    double[] d = new double[labels.length * classes];
    for (int i = 0; i < labels.length; i++) {
      checkArgument(labels[i] >= 0 && labels[i] < classes, "oneHot: label %s at position %s is outside [0, %s)",
          labels[i], i, classes);
      d[i * classes + labels[i]] = 1.0;
    }
    return NDArray.fromFlat(d, labels.length, classes).to(dtype);
  }

  /** {@code r} applied to per-element terms; BATCHMEAN is refused (PyTorch: klDiv only). */
  private static Value reduce(String op, Value perElement, Reduction r) {
    if (r == Reduction.BATCHMEAN) {
      throw batchMeanRejected(op);
    }
    return r.apply(perElement);
  }

  private static IllegalArgumentException batchMeanRejected(String op) {
    return new IllegalArgumentException(op + ": reduction BATCHMEAN is only for klDiv; use NONE, MEAN or SUM");
  }

  private static void checkPlusMinusOne(String op, Value labels) {
    for (double y : labels.data().toArray()) {
      checkArgument(y == 1.0 || y == -1.0, "%s: labels must be -1 or +1, got %s", op, y);
    }
  }

  private static void checkBroadcasts(String op, String what, Value w, Value to) {
    int[] ws = w.shape();
    int[] ts = to.shape();
    boolean ok = ws.length <= ts.length;
    for (int i = 1; ok && i <= ws.length; i++) {
      int a = ws[ws.length - i];
      ok = a == 1 || a == ts[ts.length - i];
    }
    checkArgument(ok, "%s: %s of shape %s does not broadcast to the input's shape %s", op, what,
        Shapes.lazyFormat(ws), Shapes.lazyFormat(ts));
  }

  private static void checkSameShape(String op, Value a, Value b) {
    checkArgument(Arrays.equals(a.shape(), b.shape()), "%s: prediction shape %s and target shape %s differ", op,
        Shapes.lazyFormat(a.shape()), Shapes.lazyFormat(b.shape()));
  }

  private static void checkUnitInterval(String op, String what, NDArray a) {
    for (double x : a.toArray()) {
      checkArgument(x >= 0 && x <= 1, "%s: %s must lie in [0, 1], found %s", op, what, x);
    }
  }
}
