package dev.autograd.nn;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.Value;
import dev.autograd.array.NDArray;
import dev.autograd.array.Shapes;
import java.util.Arrays;

/**
 * Layer normalisation (PyTorch's {@code nn.LayerNorm(normalized_shape, eps=1e-5, elementwise_affine=True)}): each
 * sample is normalised over its trailing axes, which must equal {@code normalizedShape}, with the biased variance:
 * y = (x − mean) / √(var + eps) · weight + bias. The same computation in training and evaluation mode. Parameters
 * {@code weight} (ones) and {@code bias} (zeros) of shape {@code normalizedShape} when {@code elementwiseAffine}.
 */
public final class LayerNorm extends Module {
  private final int[] normalizedShape;
  private final double eps;
  private final Value weight;
  private final Value bias;

  /** With eps 1e-5 and an elementwise affine map, PyTorch's defaults. */
  public LayerNorm(int... normalizedShape) {
    this(normalizedShape, 1e-5, true);
  }

  /** @throws IllegalArgumentException for an empty shape, a non-positive size, or eps negative or not finite */
  public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
    checkArgument(normalizedShape.length > 0 && Arrays.stream(normalizedShape).allMatch(d -> d > 0),
        "LayerNorm: normalizedShape must be non-empty with positive sizes, got %s",
        Shapes.lazyFormat(normalizedShape));
    checkArgument(eps >= 0 && Double.isFinite(eps), "LayerNorm: eps must be finite and >= 0, got %s", eps);
    this.normalizedShape = normalizedShape.clone();
    this.eps = eps;
    this.weight = elementwiseAffine ? registerParameter("weight", NDArray.ones(normalizedShape)) : null;
    this.bias = elementwiseAffine ? registerParameter("bias", NDArray.zeros(normalizedShape)) : null;
  }

  /** @throws IllegalArgumentException if the input's trailing axes are not {@code normalizedShape} */
  @Override
  public Value forward(Value x) {
    int k = normalizedShape.length;
    int[] s = x.shape();
    checkArgument(s.length >= k && Arrays.equals(Arrays.copyOfRange(s, s.length - k, s.length), normalizedShape),
        "LayerNorm: expected an input with trailing shape %s, got shape %s", Shapes.lazyFormat(normalizedShape),
        Shapes.lazyFormat(s));
    int[] axes = new int[k];
    Arrays.setAll(axes, i -> s.length - k + i);
    Value y = Normalize.standardize(x, axes, eps);
    return weight == null ? y : y.mul(weight).add(bias);
  }

  /** γ, or {@code null} without an elementwise affine map. */
  public Value weight() {
    return weight;
  }

  /** β, or {@code null} without an elementwise affine map. */
  public Value bias() {
    return bias;
  }

  @Override
  protected String describe() {
    return "LayerNorm(" + Arrays.toString(normalizedShape) + ", eps=" + eps + ", elementwiseAffine=" + (weight != null)
        + ")";
  }
}
