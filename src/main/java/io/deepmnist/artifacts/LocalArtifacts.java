package io.deepmnist.artifacts;

import io.deepmnist.engine.ArtifactIds;
import io.deepmnist.engine.CheckpointInfo;
import io.deepmnist.engine.CheckpointStore;
import io.deepmnist.engine.FileTrees;
import io.deepmnist.engine.ModelExporter;
import io.deepmnist.engine.ModelManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/** Artifacts in one directory: a checkpoint or model is in the store as soon as it is renamed into place. */
final class LocalArtifacts implements ArtifactStore {

    private final ArtifactLocation location;
    private final int keepCheckpoints;

    LocalArtifacts(ArtifactLocation location, int keepCheckpoints) {
        this.location = location;
        this.keepCheckpoints = keepCheckpoints;
    }

    @Override
    public ArtifactLocation location() {
        return location;
    }

    @Override
    public CheckpointStore checkpoints(String jobId) {
        return new CheckpointStore(jobDir(jobId).resolve("checkpoints"), keepCheckpoints);
    }

    @Override
    public void prepareResume(String jobId) {
    }

    @Override
    public void checkpointSaved(String jobId, CheckpointInfo checkpoint, LongConsumer stored) {
        stored.accept(checkpoint.step());
    }

    @Override
    public void runEnded(String jobId) {
    }

    @Override
    public List<CheckpointInfo> listCheckpoints(String jobId) {
        return checkpoints(jobId).list();
    }

    @Override
    public Path modelDir(String modelId) {
        return location.directory().resolve("models").resolve(ArtifactIds.checked(modelId));
    }

    @Override
    public void publishModel(String modelId, BooleanSupplier giveUp) {
    }

    @Override
    public ModelManifest readModelManifest(String modelId) {
        return ModelExporter.readManifest(modelDir(modelId));
    }

    @Override
    public ModelPin useModel(String modelId) {
        Path dir = modelDir(modelId);
        return new ModelPin() {
            @Override
            public Path dir() {
                return dir;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void prefetchModel(String modelId) {
    }

    @Override
    public void dropCachedModel(String modelId) {
    }

    @Override
    public void deleteJob(String jobId) {
        FileTrees.delete(jobDir(jobId));
    }

    @Override
    public void deleteModel(String modelId) {
        FileTrees.delete(modelDir(modelId));
    }

    @Override
    public Optional<Path> legacyModels() {
        return Optional.of(location.directory().resolve("models"));
    }

    @Override
    public ArtifactHealth health() {
        boolean writable = Files.isDirectory(location.directory()) ? Files.isWritable(location.directory())
                : Files.isWritable(location.directory().getParent() == null ? location.directory() : location.directory().getParent());
        return new ArtifactHealth(writable, writable ? null : location.directory() + " is not writable",
                Map.of("location", location.toString()));
    }

    @Override
    public void sweep(Predicate<String> jobExists, Predicate<String> modelExists) {
        // Renames make every artifact here complete or absent; deletes are immediate.
    }

    private Path jobDir(String jobId) {
        return location.directory().resolve("jobs").resolve(ArtifactIds.checked(jobId));
    }
}
