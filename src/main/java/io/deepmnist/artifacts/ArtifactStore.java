package io.deepmnist.artifacts;

import io.deepmnist.engine.CheckpointInfo;
import io.deepmnist.engine.CheckpointStore;
import io.deepmnist.engine.ModelManifest;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * Where checkpoints and models live: a directory ({@link LocalArtifacts}) or a bucket with a local cache
 * ({@link BucketArtifacts}). Training and loading always work on local files; this says where those are and
 * moves them to and from the store.
 */
public interface ArtifactStore {

    ArtifactLocation location();

    /** The job's local checkpoints, where training writes and resumes from. */
    CheckpointStore checkpoints(String jobId);

    /** Before a run: makes the newest complete checkpoint in the store local, if the local one is older. */
    void prepareResume(String jobId);

    /** After a checkpoint was written locally: {@code stored} hears its step once it is in the store. Never waits. */
    void checkpointSaved(String jobId, CheckpointInfo checkpoint, LongConsumer stored);

    /** The job's run on this replica ended: what it keeps locally of the job may go once the store has it. */
    void runEnded(String jobId);

    /** The job's complete checkpoints in the store, oldest first. */
    List<CheckpointInfo> listCheckpoints(String jobId);

    /** Where a model's SavedModel is exported to and loaded from. */
    Path modelDir(String modelId);

    /** After an export: puts the model in the store, trying again while the store is away until {@code giveUp}. */
    void publishModel(String modelId, BooleanSupplier giveUp);

    /** The model's own manifest (hyperparameters, accuracy), without fetching the model. */
    ModelManifest readModelManifest(String modelId);

    /** Makes the model's files local and verified, and keeps them there until the pin is closed. */
    ModelPin useModel(String modelId);

    /** A model was registered elsewhere: fetch it in the background, so that a promotion only has to load it. */
    void prefetchModel(String modelId);

    /** A model was deleted elsewhere: drop this replica's copy, if it only was a copy. */
    void dropCachedModel(String modelId);

    void deleteJob(String jobId);

    void deleteModel(String modelId);

    /** Models directly under a home directory, as older versions kept them; empty for a bucket. */
    Optional<Path> legacyModels();

    ArtifactHealth health();

    /** Removes what crashed uploads, deleted jobs and unregistered models left in the store. */
    void sweep(Predicate<String> jobExists, Predicate<String> modelExists);

    /** A model's files held on disk: the cache does not evict them while it is open. */
    interface ModelPin extends AutoCloseable {

        Path dir();

        @Override
        void close();
    }
}
