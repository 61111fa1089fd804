package io.deepmnist.engine;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Builds one model's forward pass, from images to logits. */
interface ModelGraph {

    /**
     * @param images   {@code [-1, 784]} pixels in [0,1]
     * @param keepProb dropout keep probability, a scalar that is 1.0 unless fed
     * @param seed     seeds every random op, each with its own second seed
     * @return {@code [-1, 10]} logits
     */
    Operand<TFloat32> logits(Ops tf, Operand<TFloat32> images, Operand<TFloat32> keepProb, long seed);
}
