package io.deepmnist.jobs;

import io.deepmnist.engine.Hyperparameters;
import io.deepmnist.engine.Precision;
import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Embedded;

/**
 * A training job as stored: its hyperparameters, its state and the latest figures it reported.
 *
 * @param trainingPrecision what it trains in (fp32, bf16) once it has run; until then what it asked for
 * @param requestedPrecision what it asked for (auto, fp32, bf16); every run resolves this again for its machine
 * @param promote   make its model the default for predictions when it succeeds, whatever its accuracy
 * @param device    the TensorFlow device it runs on, such as {@code /device:CPU:0}
 * @param node      the replica (process) that runs it or last ran it
 * @param modelId   the model it exported, once it succeeded
 * @param storedStep the step of its newest checkpoint in the artifact store, where a failover resumes
 * @param fromModel, feedbackRatio, alias its {@link TrainingPlan}
 */
public record Job(
        @Id String id,
        JobState state,
        @Embedded.Empty Hyperparameters hyperparameters,
        Precision trainingPrecision,
        Precision requestedPrecision,
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
        String modelId,
        Integer storedStep,
        String fromModel,
        Double feedbackRatio,
        String alias) {

    static Job queued(String id, Hyperparameters hyperparameters, Precision precision, boolean promote, TrainingPlan plan, Instant now) {
        return new Job(id, JobState.QUEUED, hyperparameters, precision, precision, promote, null, null, 0, null, null, null, null, null,
                now, null, null, null, null, null, plan.fromModel(), plan.feedbackRatio(), plan.alias());
    }

    public TrainingPlan plan() {
        return new TrainingPlan(fromModel, feedbackRatio, alias);
    }

    public int totalSteps() {
        return hyperparameters.steps();
    }
}
