package dev.autograd;

/**
 * What {@link Value#sort} and {@link Value#topk} return, as PyTorch's {@code (values, indices)} pair: the selected
 * elements (differentiable, their gradient flows back to where they came from) and their positions along the axis
 * (integral doubles, no gradient), usable as a {@link Value#gather} index.
 */
public record ValuesAndIndices(Value values, Value indices) {}
