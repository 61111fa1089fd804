package io.deepmnist.jobs;

import io.deepmnist.engine.Hyperparameters;
import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Embedded;

/**
 * A training job as stored: its hyperparameters, its state and the latest figures it reported.
 *
 * @param promote   make its model the default for predictions when it succeeds, whatever its accuracy
 * @param device    the TensorFlow device it runs on, such as {@code /device:CPU:0}
 * @param node      the replica (process) that runs it or last ran it
 * @param modelId   the model it exported, once it succeeded
 */
public record Job(
        @Id String id,
        JobState state,
        @Embedded.Empty Hyperparameters hyperparameters,
        boolean promote,
        String device,
        String node,
        int step,
        Float trainingAccuracy,
        Float loss,
        Double examplesPerSecond,
        Double validationAccuracy,
        Double testAccuracy,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        String error,
        String modelId) {

    static Job queued(String id, Hyperparameters hyperparameters, boolean promote, Instant now) {
        return new Job(id, JobState.QUEUED, hyperparameters, promote, null, null, 0, null, null, null, null, null, now, null, null, null, null);
    }

    public int totalSteps() {
        return hyperparameters.steps();
    }
}
