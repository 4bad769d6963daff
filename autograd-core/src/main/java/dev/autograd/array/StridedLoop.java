package dev.autograd.array;

/**
 * Iteration plan over several operands that share one (broadcast) shape. Dimensions that are laid out
 * contiguously for every operand are merged first, so a same-shape elementwise op becomes a single row and a bias
 * broadcast over a batch becomes one row per sample. Kernels then see rows: a start offset per operand, the
 * operand's stride inside the row, and the row length; the per-row work is a tight primitive loop with no per-element
 * calls.
 */
final class StridedLoop {
  /** Work on one row: {@code offsets[k]} is operand k's first element, {@link #innerStride(int)} its step. */
  @FunctionalInterface
  interface RowKernel {
    void row(int[] offsets, int length);
  }

  private final int[] shape;
  private final int[][] strides;
  private final int[] base;
  private final int rows;
  private final int rowLength;

  /**
   * @param shape common iteration shape
   * @param strides per operand, strides aligned to {@code shape} (0 on broadcast dimensions)
   * @param base per operand, offset of element 0
   */
  StridedLoop(int[] shape, int[][] strides, int[] base) {
    int operands = strides.length;
    int[] dims = new int[shape.length];
    int[][] st = new int[operands][shape.length];
    int rank = 0;
    for (int d = 0; d < shape.length; d++) {
      if (shape[d] == 1) {
        continue; // a size-1 dimension contributes nothing to addressing
      }
      if (rank > 0 && mergeable(st, rank - 1, strides, d, shape[d])) {
        dims[rank - 1] *= shape[d];
        for (int k = 0; k < operands; k++) {
          st[k][rank - 1] = strides[k][d];
        }
        continue;
      }
      dims[rank] = shape[d];
      for (int k = 0; k < operands; k++) {
        st[k][rank] = strides[k][d];
      }
      rank++;
    }
    if (rank == 0) { // every dimension was 1 (or rank 0): one element
      this.shape = new int[] {1};
      this.strides = new int[operands][1];
    } else {
      this.shape = java.util.Arrays.copyOf(dims, rank);
      this.strides = new int[operands][];
      for (int k = 0; k < operands; k++) {
        this.strides[k] = java.util.Arrays.copyOf(st[k], rank);
      }
    }
    this.base = base;
    this.rowLength = this.shape[this.shape.length - 1];
    int r = 1;
    for (int d = 0; d < this.shape.length - 1; d++) {
      r *= this.shape[d];
    }
    this.rows = Shapes.size(shape) == 0 ? 0 : r;
  }

  /** Dimension d folds into the previous merged one when, for every operand, stepping over d is one step of prev. */
  private static boolean mergeable(int[][] merged, int prev, int[][] strides, int d, int extent) {
    for (int k = 0; k < strides.length; k++) {
      if (merged[k][prev] != strides[k][d] * extent) {
        return false;
      }
    }
    return true;
  }

  int innerStride(int operand) {
    return strides[operand][shape.length - 1];
  }

  int rowLength() {
    return rowLength;
  }

  /**
   * Runs {@code kernel} over every row. With {@code costPerElement} large enough in total, rows (or, for a single
   * long row, pieces of it) go to the common pool; the kernel must then only write disjoint outputs.
   */
  void forEachRow(int costPerElement, RowKernel kernel) {
    if (rows == 0) {
      return;
    }
    long work = (long) rows * rowLength * costPerElement;
    if (rows == 1) {
      Parallel.forRange(rowLength, work, (from, to) -> {
        int[] off = new int[base.length];
        for (int k = 0; k < off.length; k++) {
          off[k] = base[k] + from * innerStride(k);
        }
        kernel.row(off, to - from);
      });
      return;
    }
    Parallel.forRange(rows, work, (from, to) -> runRows(from, to, kernel));
  }

  private void runRows(int from, int to, RowKernel kernel) {
    int outer = shape.length - 1;
    int operands = base.length;
    int[] counter = new int[outer];
    int[] off = new int[operands];
    // position the odometer at row 'from'
    int rem = from;
    for (int d = outer - 1; d >= 0; d--) {
      counter[d] = rem % shape[d];
      rem /= shape[d];
    }
    for (int k = 0; k < operands; k++) {
      int o = base[k];
      for (int d = 0; d < outer; d++) {
        o += counter[d] * strides[k][d];
      }
      off[k] = o;
    }
    int[] rowOff = new int[operands];
    for (int r = from; r < to; r++) {
      System.arraycopy(off, 0, rowOff, 0, operands);
      kernel.row(rowOff, rowLength);
      // advance the odometer by one row
      for (int d = outer - 1; d >= 0; d--) {
        if (++counter[d] < shape[d]) {
          for (int k = 0; k < operands; k++) {
            off[k] += strides[k][d];
          }
          break;
        }
        counter[d] = 0;
        for (int k = 0; k < operands; k++) {
          off[k] -= strides[k][d] * (shape[d] - 1);
        }
      }
    }
  }
}
