package io.deepmnist.engine;

import io.deepmnist.dataset.Batch;
import io.deepmnist.dataset.Batcher;
import io.deepmnist.dataset.DataSplit;
import io.deepmnist.dataset.MnistDataset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tutorial's training loop. Given a checkpoint store that already holds checkpoints, it resumes from the
 * latest: weights and optimizer state from the checkpoint, the step count from its name, and the batch
 * order from the step count, so a resumed run draws the batches the uninterrupted one would have drawn. With a
 * {@link FeedbackMix}, part of every batch comes from examples users labelled, and the run measures its accuracy on
 * them before it starts and at the end (evaluation split {@code feedback}).
 */
public final class Trainer {

    private static final Logger log = LoggerFactory.getLogger(Trainer.class);
    private static final int EVALUATION_CHUNK = 1000;
    /** The evaluation split of a run's labelled examples. */
    public static final String FEEDBACK = "feedback";

    private final MnistDataset data;
    private final FeedbackMix mix;

    public Trainer(MnistDataset data) {
        this(data, null);
    }

    /** @param mix labelled examples to mix into every batch; null for MNIST's alone */
    public Trainer(MnistDataset data, FeedbackMix mix) {
        this.data = data;
        this.mix = mix;
    }

    /**
     * Trains {@code model} up to its configured number of steps.
     *
     * @param checkpoints where to save and resume from; null for a run that keeps nothing
     * @param cancel      polled before every step; when it answers true the run checkpoints and stops
     */
    public TrainingResult train(MnistModel model, CheckpointStore checkpoints, TrainingListener listener, BooleanSupplier cancel) {
        Hyperparameters hp = model.hyperparameters();
        int step = resume(model, checkpoints);
        int startStep = step;
        listener.onStart(startStep, hp.steps());

        Batches batches = new Batches(hp, step);
        if (mix != null && step == 0) {
            evaluate(model, step, FEEDBACK, listener);
        }
        Batch batch = new Batch(hp.batchSize());
        long trainingNanos = 0;
        long windowNanos = 0;
        int windowSteps = 0;
        long lastSaved = checkpoints == null ? -1 : checkpoints.latest().map(CheckpointInfo::step).orElse(-1L);

        while (step < hp.steps()) {
            if (cancel.getAsBoolean()) {
                if (checkpoints != null && lastSaved != step) {
                    listener.onCheckpoint(checkpoints.save(model, step));
                }
                log.info("Training cancelled at step {} of {}", step, hp.steps());
                return new TrainingResult(true, startStep, step, Duration.ofNanos(trainingNanos), null, null);
            }
            long t0 = System.nanoTime();
            batches.next(batch);
            if (step % hp.logEvery() == 0) {
                BatchMetrics metrics = model.measure(batch);
                if (!Float.isFinite(metrics.loss())) {
                    throw new TrainingFailedException("the loss became %s at step %d: training diverged; lower the learningRate (now %s)"
                            .formatted(metrics.loss(), step, hp.learningRate()));
                }
                double seconds = windowNanos / 1e9;
                double stepsPerSecond = seconds > 0 ? windowSteps / seconds : 0;
                listener.onProgress(new Progress(step, hp.steps(), metrics.accuracy(), metrics.loss(),
                        stepsPerSecond * hp.batchSize(), stepsPerSecond > 0 ? (hp.steps() - step) / stepsPerSecond : 0));
                windowNanos = 0;
                windowSteps = 0;
            }
            model.trainStep(batch);
            step++;
            long elapsed = System.nanoTime() - t0;
            trainingNanos += elapsed;
            windowNanos += elapsed;
            windowSteps++;

            if (checkpoints != null && hp.checkpointEvery() > 0 && step % hp.checkpointEvery() == 0 && step < hp.steps()) {
                listener.onCheckpoint(checkpoints.save(model, step));
                lastSaved = step;
                evaluate(model, step, "validation", listener);
            }
        }

        if (step > startStep) {
            // The loop reports before a step, so its last report is short of the end: one more on a batch not
            // trained on, as those were, lets a chart of the run reach its last step.
            batches.next(batch);
            BatchMetrics metrics = model.measure(batch);
            double seconds = windowNanos / 1e9;
            listener.onProgress(new Progress(step, hp.steps(), metrics.accuracy(), metrics.loss(),
                    seconds > 0 ? windowSteps / seconds * hp.batchSize() : 0, 0));
        }
        if (checkpoints != null && lastSaved != step) {
            listener.onCheckpoint(checkpoints.save(model, step));
        }
        if (mix != null) {
            evaluate(model, step, FEEDBACK, listener);
        }
        double validation = evaluate(model, step, "validation", listener);
        double test = evaluate(model, step, "test", listener);
        return new TrainingResult(false, startStep, step, Duration.ofNanos(trainingNanos), validation, test);
    }


    private double evaluate(MnistModel model, int step, String split, TrainingListener listener) {
        DataSplit examples = switch (split) {
            case "test" -> data.test();
            case FEEDBACK -> mix.examples();
            default -> data.validation();
        };
        double accuracy = model.accuracy(examples, EVALUATION_CHUNK);
        listener.onEvaluation(new Evaluation(step, split, accuracy));
        return accuracy;
    }

    /** The newest checkpoint that restores; one that is damaged is skipped for the one before it. */
    private static int resume(MnistModel model, CheckpointStore checkpoints) {
        List<CheckpointInfo> all = checkpoints == null ? List.of() : checkpoints.list();
        if (all.isEmpty()) {
            return 0;
        }
        CheckpointInfo newest = all.get(all.size() - 1);
        if (newest.step() > model.hyperparameters().steps()) {
            throw new TrainingFailedException("checkpoint %s is at step %d, past the %d steps this run asks for"
                    .formatted(newest.prefix(), newest.step(), model.hyperparameters().steps()));
        }
        List<String> problems = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0; i--) {
            CheckpointInfo checkpoint = all.get(i);
            try {
                checkpoints.restore(model, checkpoint);
                log.info("Resuming from {} at step {}", checkpoint.prefix(), checkpoint.step());
                return (int) checkpoint.step();
            } catch (RuntimeException e) {
                log.warn("Checkpoint {} cannot be restored ({}); trying the one before it", checkpoint.prefix(), e.getMessage());
                problems.add(checkpoint.prefix().getFileName() + ": " + e.getMessage());
            }
        }
        throw new TrainingFailedException(("none of the checkpoints in %s can be restored (%s); delete that directory to "
                + "train this job again from step 0").formatted(checkpoints.directory(), String.join("; ", problems)));
    }

    /** MNIST's batches, or MNIST's and the labelled examples' side by side, each at the position {@code step} puts it. */
    private final class Batches {

        private final Batcher mnist;
        private final Batcher labelled;
        private final int fromLabelled;

        Batches(Hyperparameters hp, int step) {
            this.fromLabelled = mix == null ? 0 : mix.perBatch(hp.batchSize());
            int fromMnist = hp.batchSize() - fromLabelled;
            this.mnist = data.train().batcher(hp.seed());
            mnist.seek((long) step * fromMnist);
            this.labelled = mix == null ? null : mix.examples().batcher(hp.seed() + 1);
            if (labelled != null) {
                labelled.seek((long) step * fromLabelled);
            }
        }

        void next(Batch batch) {
            mnist.next(batch, 0, batch.size() - fromLabelled);
            if (labelled != null) {
                labelled.next(batch, batch.size() - fromLabelled, fromLabelled);
            }
        }
    }
}
