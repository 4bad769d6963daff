package dev.autograd;

import dev.autograd.array.NDArray;
import dev.autograd.array.Shapes;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Graphviz rendering in the style of micrograd's {@code draw_dot}: a record per value (label, data, grad) and an
 * oval per op between its inputs and its result. Traversal is iterative.
 */
final class DotExporter {
  private static final int MAX_INLINE_ELEMENTS = 4;

  private DotExporter() {}

  static String toDot(Value root) {
    Map<Value, Integer> ids = new IdentityHashMap<>();
    ArrayDeque<Value> todo = new ArrayDeque<>();
    StringBuilder sb = new StringBuilder("digraph autograd {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n");
    ids.put(root, 0);
    todo.push(root);
    while (!todo.isEmpty()) {
      Value v = todo.pop();
      int id = ids.get(v);
      sb.append(String.format(Locale.ROOT, "  v%d [shape=record, label=\"{ %s | data %s | grad %s }\"];%n", id,
          escape(v.label() == null ? Shapes.format(v.shape()) : v.label()), render(v.data()), render(v.grad())));
      if (v.parentArray().length == 0) {
        continue;
      }
      sb.append(String.format(Locale.ROOT, "  op%d [shape=oval, label=\"%s\"];%n  op%d -> v%d;%n", id,
          escape(v.op()), id, id));
      for (Value p : v.parentArray()) {
        Integer pid = ids.get(p);
        if (pid == null) {
          pid = ids.size();
          ids.put(p, pid);
          todo.push(p);
        }
        sb.append(String.format(Locale.ROOT, "  v%d -> op%d;%n", pid, id));
      }
    }
    return sb.append("}\n").toString();
  }

  private static String render(NDArray a) {
    if (a == null) {
      return "-";
    }
    if (a.size() == 1) {
      return String.format(Locale.ROOT, "%.4f", a.toArray()[0]);
    }
    if (a.size() <= MAX_INLINE_ELEMENTS) {
      return escape(a.toString());
    }
    return "shape " + escape(Shapes.format(a.shape()));
  }

  private static String escape(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      if ("{}|<>\"\\".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
