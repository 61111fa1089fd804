package io.deepmnist.engine;

/** Accuracy and mean cross-entropy of the model on one batch, with dropout off. */
public record BatchMetrics(float accuracy, float loss) {
}
