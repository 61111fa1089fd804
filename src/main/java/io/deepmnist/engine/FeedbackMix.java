package io.deepmnist.engine;

import io.deepmnist.dataset.DataSplit;

/**
 * Labelled examples from users mixed into every training batch: {@code ratio} of each batch comes from them, drawn in
 * their own shuffled order, and the rest from MNIST's training split.
 *
 * @param examples the images users labelled, as a split of their own
 * @param ratio    the share of each batch, in (0, 1]
 */
public record FeedbackMix(DataSplit examples, double ratio) {

    public FeedbackMix {
        if (examples.size() == 0) {
            throw new IllegalArgumentException("there are no labelled examples to mix in");
        }
        if (!(ratio > 0 && ratio <= 1)) {
            throw new IllegalArgumentException("the feedback ratio must be in (0, 1], got " + ratio);
        }
    }

    /** How many of a batch's examples are labelled ones: at least one, and all of them at a ratio of 1. */
    public int perBatch(int batchSize) {
        return (int) Math.max(1, Math.min(batchSize, Math.round(ratio * batchSize)));
    }
}
