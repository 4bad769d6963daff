package dev.autograd;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.array.NDArray;
import dev.autograd.array.Shapes;

/**
 * Ops that pick elements by position: sorting, top-k, masked selection and expansion. All are compositions of
 * {@link Value#gather}, {@link Value#indexSelect} and {@link Value#broadcastTo}, so their gradients need no rule.
 */
final class Selections {
  private Selections() {}

  static ValuesAndIndices sort(Value a, int axis, boolean descending) {
    Value order = Value.of(a.array().argsort(axis, descending));
    return new ValuesAndIndices(a.gather(axis, order), order);
  }

  static ValuesAndIndices topk(Value a, int k, int axis, boolean largest) {
    int ax = Shapes.normalizeAxis("topk", axis, Math.max(1, a.rank()));
    int length = a.rank() == 0 ? 1 : a.shape()[ax];
    checkArgument(k >= 0 && k <= length, "topk: k = %s is out of range for axis %s of length %s (shape %s)", k, axis,
        length, Shapes.lazyFormat(a.shape()));
    NDArray order = a.array().argsort(ax, largest);
    Value firstK = Value.of(a.rank() == 0 ? order : order.slice(ax, 0, k));
    return new ValuesAndIndices(a.gather(ax, firstK), firstK);
  }

  static Value maskedSelect(Value a, NDArray mask) {
    int[] shape = Shapes.broadcast("maskedSelect", a.shape(), mask.shape());
    double[] m = mask.broadcastTo(shape).toArray();
    int count = 0;
    for (double v : m) {
      count += v != 0 ? 1 : 0;
    }
    int[] positions = new int[count];
    for (int i = 0, j = 0; i < m.length; i++) {
      if (m[i] != 0) {
        positions[j++] = i;
      }
    }
    return a.broadcastTo(shape).reshape(-1).indexSelect(0, positions);
  }

  static Value expand(Value a, int[] shape) {
    int lead = shape.length - a.rank();
    checkArgument(lead >= 0, "expand: the target %s has fewer axes than the value's shape %s",
        Shapes.lazyFormat(shape), Shapes.lazyFormat(a.shape()));
    int[] target = shape.clone();
    for (int i = 0; i < target.length; i++) {
      if (target[i] == -1) {
        checkArgument(i >= lead, "expand: -1 is not allowed for the new leading axis %s of %s", i,
            Shapes.lazyFormat(shape));
        target[i] = a.shape()[i - lead];
      }
    }
    return a.broadcastTo(target);
  }
}
