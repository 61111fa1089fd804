package io.deepmnist.engine;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The tutorial's softmax regression: {@code y = xW + b}, both initialised to zeros. */
final class SoftmaxGraph implements ModelGraph {

    static final String WEIGHTS = "W";
    static final String BIASES = "b";

    @Override
    public Operand<TFloat32> logits(Ops tf, Operand<TFloat32> images, Operand<TFloat32> keepProb, long seed) {
        var w = tf.withName(WEIGHTS).variable(tf.fill(tf.constant(new long[] {784, 10}), tf.constant(0f)));
        var b = tf.withName(BIASES).variable(tf.fill(tf.constant(new long[] {10}), tf.constant(0f)));
        return tf.math.add(tf.linalg.matMul(images, w), b);
    }
}
