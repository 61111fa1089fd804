package io.deepmnist.jobs;

import io.deepmnist.artifacts.ArtifactStore;
import io.deepmnist.artifacts.ArtifactStoreException;
import io.deepmnist.dataset.DatasetProvider;
import io.deepmnist.dataset.MnistDataset;
import io.deepmnist.engine.CheckpointInfo;
import io.deepmnist.engine.ComputeDevice;
import io.deepmnist.engine.EngineSettings;
import io.deepmnist.engine.Evaluation;
import io.deepmnist.engine.FeedbackMix;
import io.deepmnist.engine.MnistModel;
import io.deepmnist.engine.ModelExporter;
import io.deepmnist.engine.ModelManifest;
import io.deepmnist.engine.Precision;
import io.deepmnist.engine.Progress;
import io.deepmnist.engine.TensorFlowInfo;
import io.deepmnist.engine.Trainer;
import io.deepmnist.engine.TrainingListener;
import io.deepmnist.engine.TrainingResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/** Runs one job on a worker thread, from QUEUED to a terminal state (or back to QUEUED on shutdown). */
@Component
class JobRunner {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    private static final DateTimeFormatter MODEL_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final JobRepository jobs;
    private final JobEventLog events;
    private final ArtifactStore artifacts;
    private final DatasetProvider datasets;
    private final EngineSettings settings;
    private final ObjectProvider<TrainedModelListener> modelListeners;
    private final TrainingMetrics metrics;
    private final JobInputs inputs;
    private final Clock clock;

    JobRunner(JobRepository jobs, JobEventLog events, ArtifactStore artifacts, DatasetProvider datasets, EngineSettings settings,
              ObjectProvider<TrainedModelListener> modelListeners, TrainingMetrics metrics, JobInputs inputs, Clock clock) {
        this.jobs = jobs;
        this.events = events;
        this.artifacts = artifacts;
        this.datasets = datasets;
        this.settings = settings;
        this.modelListeners = modelListeners;
        this.metrics = metrics;
        this.inputs = inputs;
        this.clock = clock;
    }

    /** Runs the job on {@code device} of replica {@code node}, from its last checkpoint if it has one. */
    void run(String jobId, ComputeDevice device, String node, RunControl control) {
        Job claimed = jobs.findById(jobId).orElse(null);
        if (claimed == null) {
            return; // deleted while it waited
        }
        if (claimed.state() == JobState.RUNNING) {
            // Its claim was revived: the process that ran it stopped without giving it back.
            if (jobs.transition(jobId, List.of(JobState.RUNNING.name()), JobState.QUEUED.name(), null, null) == 1) {
                events.appendState(jobId, StateChange.of(JobState.QUEUED, JobState.RUNNING, claimed.step(),
                        "its run on " + claimed.node() + " ended without handing the job back (the process stopped, "
                                + "or lost the job store); it resumes from its last checkpoint on " + node), false);
            }
        }
        Precision.Choice precision = claimed.requestedPrecision().resolve(device);
        if (jobs.start(jobId, device.name(), node, precision.precision().name(), clock.instant()) == 0) {
            return; // cancelled or deleted while it waited
        }
        Job job = jobs.findById(jobId).orElseThrow();
        events.appendState(jobId, StateChange.running(job.step(),
                "running on " + device.name() + " of " + node + " in " + precision.reason(), precision.precision()), false);
        String modelKind = job.hyperparameters().model().id();
        log.info("Job {} ({}) running on {} in {}", jobId, modelKind, device.name(), precision.reason());
        long started = System.nanoTime();
        int[] counted = {job.step()};
        try {
            MnistDataset data = datasets.get();
            prepareResume(job);
            FeedbackMix mix = inputs.mix(job);
            try (MnistModel model = MnistModel.create(job.hyperparameters(), settings.withPrecision(precision.precision()), device)) {
                inputs.startFrom(job, model);
                TrainingResult result = new Trainer(data, mix).train(model, artifacts.checkpoints(jobId), listener(jobId, modelKind, counted, control),
                        control::shouldStop);
                if (control.isStoreLost()) {
                    storeLost(jobId, result.step());
                    return;
                }
                jobs.step(jobId, result.step());
                metrics.stepsTrained(modelKind, result.step() - counted[0]);
                if (result.cancelled()) {
                    stopped(jobId, result.step(), control.isShutdown());
                } else {
                    succeeded(job, model, result, data, control);
                }
            }
        } catch (DataAccessException e) {
            control.storeLost();
            storeLost(jobId, counted[0]);
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            failed(jobId, e);
        } finally {
            JobState end = control.isStoreLost() ? JobState.RUNNING : jobs.findById(jobId).map(Job::state).orElse(JobState.FAILED);
            metrics.runEnded(jobId, modelKind, end, Duration.ofNanos(System.nanoTime() - started));
            artifacts.runEnded(jobId);
        }
    }

    /**
     * Brings the job's newest checkpoint from the artifact store. A job none of whose checkpoints ever reached the
     * store starts (or goes on) without it when it is away, since training never waits for the store; a job whose
     * checkpoints are there fails instead of starting over, and resumes from them once the store is back.
     */
    private void prepareResume(Job job) {
        try {
            artifacts.prepareResume(job.id());
        } catch (ArtifactStoreException e) {
            if (job.storedStep() != null) {
                throw new ArtifactStoreException(e.getMessage() + "; its checkpoints up to step " + job.storedStep()
                        + " are there: resume the job once the artifact store is back", e);
            }
            log.warn("Job {} starts without the artifact store, which holds none of its checkpoints yet: {}", job.id(), e.getMessage());
        }
    }

    /**
     * Writes nothing, since the store cannot be trusted to take it: the job stays RUNNING under a claim that no
     * longer beats, which the scheduler revives once the store is back, and the job resumes from its checkpoint.
     */
    private static void storeLost(String jobId, int step) {
        log.warn("Job {} stopped at step {}: the job store cannot be reached; it resumes from its last checkpoint "
                + "once the store is back", jobId, step);
    }

    /**
     * @param counted the step up to which trained steps were counted in the metrics
     * @param control told when the store cannot take a write; the trainer then checkpoints and stops at the next step
     */
    private TrainingListener listener(String jobId, String modelKind, int[] counted, RunControl control) {
        return new TrainingListener() {
            @Override
            public void onStart(int fromStep, int totalSteps) {
                counted[0] = fromStep;
            }

            @Override
            public void onProgress(Progress p) {
                metrics.stepsTrained(modelKind, p.step() - counted[0]);
                counted[0] = p.step();
                metrics.examplesPerSecond(jobId, p.examplesPerSecond());
                Progress rounded = new Progress(p.step(), p.totalSteps(), p.trainingAccuracy(), p.loss(),
                        Math.round(p.examplesPerSecond() * 10) / 10.0, Math.round(p.etaSeconds() * 10) / 10.0);
                store(control, () -> {
                    jobs.progress(jobId, p.step(), p.trainingAccuracy(), p.loss(), rounded.examplesPerSecond());
                    events.append(jobId, JobEvent.PROGRESS, rounded);
                });
            }

            @Override
            public void onCheckpoint(CheckpointInfo checkpoint) {
                store(control, () -> {
                    jobs.step(jobId, (int) checkpoint.step());
                    events.append(jobId, JobEvent.CHECKPOINT, CheckpointSummary.of(checkpoint));
                });
                artifacts.checkpointSaved(jobId, checkpoint, step -> store(control, () -> jobs.storedStep(jobId, (int) step)));
            }

            @Override
            public void onEvaluation(Evaluation evaluation) {
                store(control, () -> {
                    if ("validation".equals(evaluation.split())) {
                        jobs.validationAccuracy(jobId, evaluation.accuracy());
                    }
                    events.append(jobId, JobEvent.EVALUATION, evaluation);
                });
            }
        };
    }

    private static void store(RunControl control, Runnable write) {
        if (control.isStoreLost()) {
            return;
        }
        try {
            write.run();
        } catch (DataAccessException e) {
            control.storeLost();
            log.debug("A training event could not be stored: {}", e.getMostSpecificCause().getMessage());
        }
    }

    private void stopped(String jobId, int step, boolean shutdown) {
        JobState to = shutdown ? JobState.QUEUED : JobState.CANCELLED;
        if (jobs.transition(jobId, List.of(JobState.RUNNING.name()), to.name(), null, shutdown ? null : clock.instant()) == 1) {
            String message = shutdown
                    ? "the service is shutting down; the job resumes from step " + step + " when it starts again"
                    : "cancelled at step " + step + "; resuming the job continues from there";
            events.appendState(jobId, StateChange.of(to, JobState.RUNNING, step, message), !shutdown);
            log.info("Job {} {} at step {}", jobId, shutdown ? "interrupted by shutdown" : "cancelled", step);
        }
    }

    private void succeeded(Job job, MnistModel model, TrainingResult result, MnistDataset data, RunControl control) {
        String modelId = job.hyperparameters().model().id() + "-" + MODEL_ID_TIME.format(clock.instant()) + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        Map<String, String> sums = new TreeMap<>();
        data.sha256().forEach((file, sum) -> sums.put(file.fileName(), sum));
        ModelManifest manifest = new ModelManifest(modelId, job.id(), job.hyperparameters().model().id(), job.hyperparameters(), job.trainingPrecision(),
                result.step(), result.validationAccuracy(), result.testAccuracy(), sums,
                TensorFlowInfo.nativeVersion(), TensorFlowInfo.javaVersion(), clock.instant(), job.fromModel());
        Path dir = ModelExporter.export(model, artifacts.modelDir(modelId), manifest);
        artifacts.publishModel(modelId, control::shouldStop);
        // Registered (and promoted) before the job reads SUCCEEDED, so whoever sees it succeed can use its model.
        try {
            modelListeners.orderedStream().forEach(l -> l.onModelExported(manifest, dir, job.promote(), job.alias()));
        } catch (DataAccessException e) {
            throw e;
        } catch (RuntimeException e) {
            artifacts.deleteModel(modelId);
            throw new IllegalStateException("the model %s was exported but could not be registered (%s); resuming the "
                    .formatted(modelId, e.getMessage()) + "job exports it again from its last checkpoint", e);
        }
        if (jobs.succeed(job.id(), result.step(), result.validationAccuracy(), result.testAccuracy(), modelId, clock.instant()) == 1) {
            events.appendState(job.id(), new StateChange(JobState.SUCCEEDED, JobState.RUNNING, result.step(),
                    "trained %d steps at %.1f steps/s".formatted(result.step() - result.startStep(), result.stepsPerSecond()),
                    null, modelId, result.testAccuracy(), null), true);
            log.info("Job {} succeeded: test accuracy {}, model {}", job.id(), result.testAccuracy(), modelId);
        }
    }

    private void failed(String jobId, Throwable e) {
        String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof OutOfMemoryError) {
            error = "out of memory: " + error + "; lower the batchSize or give the JVM more memory";
        }
        log.warn("Job {} failed: {}", jobId, error, e);
        int step = jobs.findById(jobId).map(Job::step).orElse(0);
        // Cut so that the terminal event's JSON, escapes and all, fits its column: an insert that failed on the
        // length would leave the row FAILED and every event stream of the job waiting for an end that never comes.
        String stored = events.fit(error, message -> failure(step, message));
        if (jobs.transition(jobId, List.of(JobState.RUNNING.name()), JobState.FAILED.name(), stored, clock.instant()) == 1) {
            events.appendState(jobId, failure(step, stored), true);
        }
    }

    private static StateChange failure(int step, String error) {
        return new StateChange(JobState.FAILED, JobState.RUNNING, step, "resuming the job retries from its last checkpoint",
                error, null, null, null);
    }
}
