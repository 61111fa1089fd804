package io.deepmnist.web.jobs;

import io.deepmnist.engine.Hyperparameters;
import io.deepmnist.engine.Precision;
import io.deepmnist.jobs.CheckpointSummary;
import io.deepmnist.jobs.Job;
import io.deepmnist.jobs.JobState;
import java.time.Instant;
import java.util.List;

/**
 * A job as the API shows it.
 *
 * @param precision what it trains in (fp32, bf16) once it has run; until then what it asked for
 * @param requestedPrecision what it asked for (auto, fp32, bf16), which each run resolves for its machine
 * @param storedStep the step of its newest checkpoint in the artifact store: where it resumes if its replica dies
 * @param from the model whose weights it started from
 * @param feedbackRatio the labelled predictions' share of each batch, when it learns from them
 * @param alias the alias that names its model once it succeeds
 */
public record JobView(
        String id,
        String model,
        JobState state,
        Hyperparameters hyperparameters,
        Precision precision,
        Precision requestedPrecision,
        boolean promote,
        String device,
        String node,
        int step,
        int totalSteps,
        Float trainingAccuracy,
        Float loss,
        Double examplesPerSecond,
        Double validationAccuracy,
        Double testAccuracy,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        String error,
        List<CheckpointSummary> checkpoints,
        Integer storedStep,
        String modelId,
        String from,
        Double feedbackRatio,
        String alias) {

    static JobView of(Job job, List<CheckpointSummary> checkpoints) {
        return new JobView(job.id(), job.hyperparameters().model().id(), job.state(), job.hyperparameters(), job.trainingPrecision(),
                job.requestedPrecision(), job.promote(), job.device(), job.node(), job.step(), job.totalSteps(), job.trainingAccuracy(),
                job.loss(), job.examplesPerSecond(), job.validationAccuracy(), job.testAccuracy(), job.createdAt(), job.startedAt(),
                job.finishedAt(), job.error(), checkpoints, job.storedStep(), job.modelId(),
                job.fromModel(), job.feedbackRatio(), job.alias());
    }
}
