package io.deepmnist.engine;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.op.random.TruncatedNormal;
import org.tensorflow.types.TFloat32;

/**
 * The tutorial's deep CNN: two 5x5 convolutions (32 and 64 features) with ReLU and 2x2 max pooling, a
 * 1024-unit dense layer, dropout, and a 10-unit readout. Weights are truncated normal (stddev 0.1), biases 0.1.
 */
final class CnnGraph implements ModelGraph {

    private static final List<Long> UNIT_STRIDES = List.of(1L, 1L, 1L, 1L);

    @Override
    public Operand<TFloat32> logits(Ops tf, Operand<TFloat32> images, Operand<TFloat32> keepProb, long seed) {
        Operand<TFloat32> x = tf.reshape(images, tf.constant(new long[] {-1, 28, 28, 1}));

        Operand<TFloat32> h1 = tf.nn.relu(tf.math.add(conv2d(tf, x, weight(tf, "W_conv1", seed, 1, 5, 5, 1, 32)), bias(tf, "b_conv1", 32)));
        Operand<TFloat32> p1 = maxPool2x2(tf, h1);

        Operand<TFloat32> h2 = tf.nn.relu(tf.math.add(conv2d(tf, p1, weight(tf, "W_conv2", seed, 2, 5, 5, 32, 64)), bias(tf, "b_conv2", 64)));
        Operand<TFloat32> p2 = maxPool2x2(tf, h2);

        Operand<TFloat32> flat = tf.reshape(p2, tf.constant(new long[] {-1, 7 * 7 * 64}));
        Operand<TFloat32> fc1 = tf.nn.relu(tf.math.add(
                tf.linalg.matMul(flat, weight(tf, "W_fc1", seed, 3, 7 * 7 * 64, 1024)), bias(tf, "b_fc1", 1024)));
        Operand<TFloat32> dropped = dropout(tf, fc1, keepProb, seed);

        return tf.math.add(tf.linalg.matMul(dropped, weight(tf, "W_fc2", seed, 4, 1024, 10)), bias(tf, "b_fc2", 10));
    }

    private static Operand<TFloat32> weight(Ops tf, String name, long seed, long stream, long... shape) {
        var normal = tf.random.truncatedNormal(tf.constant(shape), TFloat32.class,
                TruncatedNormal.seed(seed), TruncatedNormal.seed2(stream));
        return tf.withName(name).variable(tf.math.mul(normal, tf.constant(0.1f)));
    }

    private static Operand<TFloat32> bias(Ops tf, String name, long size) {
        return tf.withName(name).variable(tf.fill(tf.constant(new long[] {size}), tf.constant(0.1f)));
    }

    private static Operand<TFloat32> conv2d(Ops tf, Operand<TFloat32> x, Operand<TFloat32> w) {
        return tf.nn.conv2d(x, w, UNIT_STRIDES, "SAME");
    }

    private static Operand<TFloat32> maxPool2x2(Ops tf, Operand<TFloat32> x) {
        return tf.nn.maxPool(x, tf.constant(new int[] {1, 2, 2, 1}), tf.constant(new int[] {1, 2, 2, 1}), "SAME");
    }

    /** TF Java has no dropout op: {@code x / keep * floor(keep + U[0,1))}, which is x itself when keep is 1. */
    private static Operand<TFloat32> dropout(Ops tf, Operand<TFloat32> x, Operand<TFloat32> keepProb, long seed) {
        var uniform = tf.random.randomUniform(tf.shape(x), TFloat32.class, RandomUniform.seed(seed), RandomUniform.seed2(5L));
        var mask = tf.math.floor(tf.math.add(keepProb, uniform));
        return tf.math.mul(tf.math.div(x, keepProb), mask);
    }
}
