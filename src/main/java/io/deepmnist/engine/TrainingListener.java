package io.deepmnist.engine;

/** Called on the training thread; implementations must be quick and must not throw. */
public interface TrainingListener {

    TrainingListener NONE = new TrainingListener() {
    };

    /** Training starts at {@code fromStep}: 0, or the step of the checkpoint it resumed from. */
    default void onStart(int fromStep, int totalSteps) {
    }

    default void onProgress(Progress progress) {
    }

    default void onCheckpoint(CheckpointInfo checkpoint) {
    }

    default void onEvaluation(Evaluation evaluation) {
    }
}
