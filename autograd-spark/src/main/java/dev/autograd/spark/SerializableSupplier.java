package dev.autograd.spark;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * A {@link Supplier} that Spark can ship to executors with Java serialisation. A lambda or method reference assigned
 * to this type is serialisable as long as everything it captures is ({@code () -> MLP.builder().sizes(784, 256, 10)
 * .seed(7).build()} captures nothing).
 */
@FunctionalInterface
public interface SerializableSupplier<T> extends Supplier<T>, Serializable {}
