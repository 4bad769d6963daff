package dev.autograd;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.array.NDArray;
import dev.autograd.array.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link Value#einsum}: the equation is parsed into integer labels (letters, and one label per axis hidden in
 * {@code ...}, aligned from the right as in broadcasting), then lowered to existing ops: a repeated label within an
 * operand takes a diagonal, a label no one else needs is summed at once, and operands are contracted left to right,
 * each pair with a single (batched) matrix product. Gradients come from those ops.
 */
final class Einsum {
  /** Labels of ellipsis axes: ELLIPSIS + position among the broadcast axes (letters are below 128). */
  private static final int ELLIPSIS = 1000;

  private Einsum() {}

  /** An operand and the label of each of its axes. */
  private record Term(Value value, List<Integer> labels) {}

  static Value evaluate(String equation, Value... operands) {
    String eq = equation.replace(" ", "");
    int arrow = eq.indexOf("->");
    String lhs = arrow < 0 ? eq : eq.substring(0, arrow);
    String[] specs = lhs.split(",", -1);
    checkArgument(specs.length == operands.length, "einsum: '%s' names %s operands, %s were given", equation,
        specs.length, operands.length);
    int ellipsisRank = 0;
    for (int i = 0; i < specs.length; i++) {
      int explicit = letters(equation, specs[i]).size();
      if (specs[i].contains("...")) {
        checkArgument(operands[i].rank() >= explicit, "einsum: operand %s has shape %s, fewer axes than the %s labels "
            + "in '%s'", i, Shapes.lazyFormat(operands[i].shape()), explicit, specs[i]);
        ellipsisRank = Math.max(ellipsisRank, operands[i].rank() - explicit);
      } else {
        checkArgument(operands[i].rank() == explicit, "einsum: operand %s has shape %s (rank %s) but '%s' names %s "
            + "axes", i, Shapes.lazyFormat(operands[i].shape()), operands[i].rank(), specs[i], explicit);
      }
    }
    List<Term> terms = new ArrayList<>();
    for (int i = 0; i < specs.length; i++) {
      terms.add(new Term(operands[i], labels(equation, specs[i], operands[i].rank(), ellipsisRank)));
    }
    List<Integer> output = arrow >= 0 ? labels(equation, eq.substring(arrow + 2), -1, ellipsisRank)
        : implicitOutput(terms, ellipsisRank);
    checkSizes(equation, terms, output);

    List<Term> pending = new ArrayList<>();
    for (int i = 0; i < terms.size(); i++) {
      pending.add(reduceAlone(takeDiagonals(terms.get(i)), needed(terms, 0, i, output)));
    }
    Term acc = pending.get(0);
    for (int i = 1; i < pending.size(); i++) {
      Set<Integer> later = needed(pending, i + 1, -1, output);
      acc = contract(reduceAlone(acc, union(later, pending.get(i).labels())), pending.get(i), later);
    }
    acc = reduceAlone(acc, new LinkedHashSet<>(output));
    int[] order = new int[output.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = acc.labels().indexOf(output.get(i));
    }
    return order.length < 2 ? acc.value() : acc.value().permute(order);
  }

  private static List<Character> letters(String equation, String spec) {
    List<Character> out = new ArrayList<>();
    String rest = spec.replace("...", "");
    checkArgument(spec.indexOf("...") == spec.lastIndexOf("..."), "einsum: more than one '...' in '%s' of '%s'",
        spec, equation);
    for (char c : rest.toCharArray()) {
      checkArgument(Character.isLetter(c) && c < 128, "einsum: '%s' in '%s' is not a label (labels are ASCII "
          + "letters, '...' and ',' with one '->')", c, equation);
      out.add(c);
    }
    return out;
  }

  /** Labels of a spec; {@code rank} < 0 for the output, whose ellipsis stands for every broadcast axis. */
  private static List<Integer> labels(String equation, String spec, int rank, int ellipsisRank) {
    List<Character> letters = letters(equation, spec);
    int dots = spec.indexOf("...");
    int hidden = dots < 0 ? 0 : rank < 0 ? ellipsisRank : rank - letters.size();
    List<Integer> out = new ArrayList<>();
    int before = dots < 0 ? letters.size() : spec.substring(0, dots).length();
    for (int i = 0; i < before; i++) {
      out.add((int) letters.get(i));
    }
    for (int i = 0; i < hidden; i++) {
      out.add(ELLIPSIS + ellipsisRank - hidden + i);
    }
    for (int i = before; i < letters.size(); i++) {
      out.add((int) letters.get(i));
    }
    if (rank < 0) {
      checkArgument(new LinkedHashSet<>(out).size() == out.size(), "einsum: the output '%s' of '%s' repeats a label",
          spec, equation);
    }
    return out;
  }

  /** NumPy's rule without "->": the broadcast axes, then the letters used once, alphabetically. */
  private static List<Integer> implicitOutput(List<Term> terms, int ellipsisRank) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < ellipsisRank; i++) {
      out.add(ELLIPSIS + i);
    }
    TreeSet<Integer> once = new TreeSet<>();
    TreeSet<Integer> seen = new TreeSet<>();
    for (Term t : terms) {
      for (int l : t.labels()) {
        if (l < ELLIPSIS && !seen.add(l)) {
          once.remove(l);
        } else if (l < ELLIPSIS) {
          once.add(l);
        }
      }
    }
    out.addAll(once);
    return out;
  }

  private static void checkSizes(String equation, List<Term> terms, List<Integer> output) {
    int[] size = new int[ELLIPSIS * 2];
    int[] owner = new int[ELLIPSIS * 2];
    Arrays.fill(size, -1);
    for (int t = 0; t < terms.size(); t++) {
      List<Integer> labels = terms.get(t).labels();
      int[] shape = terms.get(t).value().shape();
      for (int a = 0; a < labels.size(); a++) {
        int l = labels.get(a);
        boolean broadcastable = l >= ELLIPSIS && (shape[a] == 1 || size[l] == 1);
        checkArgument(size[l] < 0 || size[l] == shape[a] || broadcastable, "einsum: %s has size %s in operand %s "
            + "but %s in operand %s of '%s'", name(l), size[l], owner[l], shape[a], t, equation);
        if (size[l] < 0 || size[l] == 1) {
          size[l] = shape[a];
          owner[l] = t;
        }
      }
    }
    for (int l : output) {
      checkArgument(size[l] >= 0, "einsum: output label %s of '%s' appears in no operand", name(l), equation);
    }
  }

  private static String name(int label) {
    return label < ELLIPSIS ? "label '" + (char) label + "'" : "broadcast axis " + (label - ELLIPSIS) + " of '...'";
  }

  /** Labels still wanted: by the output, or by the operands from {@code from} on other than {@code except}. */
  private static Set<Integer> needed(List<Term> terms, int from, int except, List<Integer> output) {
    Set<Integer> out = new LinkedHashSet<>(output);
    for (int i = from; i < terms.size(); i++) {
      if (i != except) {
        out.addAll(terms.get(i).labels());
      }
    }
    return out;
  }

  private static Set<Integer> union(Set<Integer> a, List<Integer> b) {
    Set<Integer> out = new LinkedHashSet<>(a);
    out.addAll(b);
    return out;
  }

  /** A label repeated in one operand ("ii") keeps only the diagonal: masked by the identity and summed once. */
  private static Term takeDiagonals(Term t) {
    Value v = t.value();
    List<Integer> labels = new ArrayList<>(t.labels());
    for (int i = 0; i < labels.size(); i++) {
      for (int j = labels.size() - 1; j > i; j--) {
        if (labels.get(j).equals(labels.get(i))) {
          int n = v.shape()[i];
          int[] maskShape = new int[labels.size()];
          Arrays.fill(maskShape, 1);
          maskShape[i] = n;
          maskShape[j] = n;
          v = v.mul(Value.of(NDArray.eye(n).to(v.dtype()).reshape(maskShape))).sum(j);
          labels.remove(j);
        }
      }
    }
    return new Term(v, labels);
  }

  /** Sums the axes whose labels are not in {@code keep}. */
  private static Term reduceAlone(Term t, Set<Integer> keep) {
    List<Integer> labels = new ArrayList<>();
    List<Integer> drop = new ArrayList<>();
    for (int a = 0; a < t.labels().size(); a++) {
      if (keep.contains(t.labels().get(a))) {
        labels.add(t.labels().get(a));
      } else {
        drop.add(a);
      }
    }
    if (drop.isEmpty()) {
      return t;
    }
    return new Term(t.value().sum(drop.stream().mapToInt(Integer::intValue).toArray()), labels);
  }

  /**
   * One pair: shared labels still needed later are batch axes, shared labels not needed are contracted, the rest
   * belong to one side. A is laid out [batch, aOnly, contracted], B [batch, contracted, bOnly], and one matmul (or a
   * broadcast product when nothing is contracted) gives [batch, aOnly, bOnly].
   */
  private static Term contract(Term a, Term b, Set<Integer> later) {
    List<Integer> batch = new ArrayList<>();
    List<Integer> summed = new ArrayList<>();
    List<Integer> aOnly = new ArrayList<>();
    List<Integer> bOnly = new ArrayList<>();
    for (int l : a.labels()) {
      (b.labels().contains(l) ? later.contains(l) ? batch : summed : aOnly).add(l);
    }
    for (int l : b.labels()) {
      if (!a.labels().contains(l)) {
        bOnly.add(l);
      }
    }
    int[] batchShape = new int[batch.size()];
    for (int i = 0; i < batchShape.length; i++) {
      batchShape[i] = Math.max(dim(a, batch.get(i)), dim(b, batch.get(i)));
    }
    Value left = arrange(a, batch, aOnly, summed);
    Value right = arrange(b, batch, summed, bOnly);
    Value product = summed.isEmpty() ? left.mul(right) : left.matmul(right);
    int[] shape = new int[batch.size() + aOnly.size() + bOnly.size()];
    int k = 0;
    for (int s : batchShape) {
      shape[k++] = s;
    }
    for (int l : aOnly) {
      shape[k++] = dim(a, l);
    }
    for (int l : bOnly) {
      shape[k++] = dim(b, l);
    }
    List<Integer> labels = new ArrayList<>(batch);
    labels.addAll(aOnly);
    labels.addAll(bOnly);
    return new Term(product.reshape(shape), labels);
  }

  private static int dim(Term t, int label) {
    return t.value().shape()[t.labels().indexOf(label)];
  }

  /** The operand permuted to [batch, rows, cols] and reshaped to batch axes plus one matrix. */
  private static Value arrange(Term t, List<Integer> batch, List<Integer> rows, List<Integer> cols) {
    int[] order = new int[t.labels().size()];
    int k = 0;
    int[] shape = new int[batch.size() + 2];
    for (int l : batch) {
      shape[k] = dim(t, l);
      order[k++] = t.labels().indexOf(l);
    }
    int r = 1;
    for (int l : rows) {
      r *= dim(t, l);
      order[k++] = t.labels().indexOf(l);
    }
    int c = 1;
    for (int l : cols) {
      c *= dim(t, l);
      order[k++] = t.labels().indexOf(l);
    }
    shape[batch.size()] = r;
    shape[batch.size() + 1] = c;
    Value v = order.length < 2 ? t.value() : t.value().permute(order);
    return v.reshape(shape);
  }
}
