package io.deepmnist.engine;

import java.time.Duration;

/**
 * How a run ended.
 *
 * @param trainingTime time spent in training steps, without evaluations and checkpoints
 * @param validationAccuracy null when the run was cancelled
 * @param testAccuracy       null when the run was cancelled
 */
public record TrainingResult(boolean cancelled, int startStep, int step, Duration trainingTime,
                             Double validationAccuracy, Double testAccuracy) {

    public double stepsPerSecond() {
        double seconds = trainingTime.toNanos() / 1e9;
        return seconds > 0 ? (step - startStep) / seconds : 0;
    }
}
