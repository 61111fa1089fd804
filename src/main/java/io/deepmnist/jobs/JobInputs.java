package io.deepmnist.jobs;

import io.deepmnist.artifacts.ArtifactStore;
import io.deepmnist.dataset.DataSplit;
import io.deepmnist.engine.FeedbackMix;
import io.deepmnist.engine.MnistModel;
import io.deepmnist.engine.TrainingFailedException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** What a job's {@link TrainingPlan} brings to its run: the weights it starts from and the labelled examples it mixes in. */
@Component
class JobInputs {

    private static final Logger log = LoggerFactory.getLogger(JobInputs.class);
    /** Where a SavedModel keeps its variables: a checkpoint with the training graph's names, optimizer slots included. */
    private static final Path VARIABLES = Path.of("variables", "variables");

    private final ArtifactStore artifacts;
    private final FeedbackExamples feedback;

    JobInputs(ArtifactStore artifacts, FeedbackExamples feedback) {
        this.artifacts = artifacts;
        this.feedback = feedback;
    }

    /**
     * The labelled predictions up to the job's submission, so that every run of the job mixes in the same ones
     * (unless retention removed some meanwhile); null for a job that asked for none.
     */
    FeedbackMix mix(Job job) {
        if (job.feedbackRatio() == null) {
            return null;
        }
        DataSplit examples = feedback.load(job.createdAt());
        if (examples.size() == 0) {
            throw new TrainingFailedException("none of the predictions labelled before the job was submitted are left in the "
                    + "prediction log (retention removed them, or the log is off): submit a new job after labelling more");
        }
        FeedbackMix mix = new FeedbackMix(examples, job.feedbackRatio());
        log.info("Job {} mixes {} labelled examples into its batches ({} of each)", job.id(), examples.size(),
                mix.perBatch(job.hyperparameters().batchSize()));
        return mix;
    }

    /** Gives a job that starts from a model, and has no checkpoint of its own yet, that model's weights. */
    void startFrom(Job job, MnistModel model) {
        if (job.fromModel() == null || !artifacts.checkpoints(job.id()).list().isEmpty()) {
            return;
        }
        try (ArtifactStore.ModelPin pin = artifacts.useModel(job.fromModel())) {
            model.restore(pin.dir().resolve(VARIABLES));
        } catch (RuntimeException e) {
            throw new TrainingFailedException("cannot start from model %s (%s): it may have been deleted; submit the job again "
                    .formatted(job.fromModel(), e.getMessage()) + "from a model that GET /models lists");
        }
        log.info("Job {} starts from the weights of model {}", job.id(), job.fromModel());
    }
}
