package io.deepmnist.artifacts;

import io.deepmnist.engine.ArtifactIds;
import io.deepmnist.engine.CheckpointInfo;
import io.deepmnist.engine.CheckpointStore;
import io.deepmnist.engine.FileTrees;
import io.deepmnist.engine.ModelManifest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Artifacts in a bucket, with this replica's cache under {@code mnist.home/cache}: jobs train on local
 * checkpoints that are uploaded behind them, and models are fetched, verified and kept on disk while in use.
 */
final class BucketArtifacts implements ArtifactStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BucketArtifacts.class);

    private final ArtifactLocation location;
    private final ObjectStore store;
    private final Transfers transfers;
    private final Path cache;
    private final int keepCheckpoints;
    private final Duration sweepGrace;
    private final StoreStatus status = new StoreStatus();
    private final CheckpointUploads uploads;
    private final ModelFiles cached;
    private final BucketModels models;
    private final StoreProbe probe;

    BucketArtifacts(ArtifactLocation location, ObjectStore store, Path home, ArtifactsProperties properties, int keepCheckpoints) {
        this.location = location;
        this.store = store;
        this.transfers = new Transfers(store);
        this.cache = home.resolve("cache");
        this.keepCheckpoints = keepCheckpoints;
        this.sweepGrace = properties.sweepGrace();
        this.uploads = new CheckpointUploads(store, status, keepCheckpoints, properties.retryMax());
        this.cached = new ModelFiles(cache.resolve("models"), properties.cache().maxSize().toBytes());
        this.models = new BucketModels(location, store, status, cached, properties.retryMax());
        this.probe = new StoreProbe(store);
    }

    @Override
    public ArtifactLocation location() {
        return location;
    }

    @Override
    public CheckpointStore checkpoints(String jobId) {
        return new CheckpointStore(cache.resolve("jobs").resolve(ArtifactIds.checked(jobId)).resolve("checkpoints"), keepCheckpoints);
    }

    @Override
    public void prepareResume(String jobId) {
        uploads.keepLocal(jobId);
        CheckpointStore local = checkpoints(jobId);
        long localStep = local.latest().map(CheckpointInfo::step).orElse(-1L);
        List<Long> complete = completeSteps(jobId);
        for (int i = complete.size() - 1; i >= 0; i--) {
            long step = complete.get(i);
            if (step <= localStep) {
                return;
            }
            String key = Keys.checkpointManifest(jobId, step);
            Path staging = local.stagingDirectory();
            try {
                ObjectManifest manifest = ObjectManifest.parse(store.get(key).orElseThrow(
                        () -> new CorruptArtifactException(key + " vanished (pruned meanwhile)")), key);
                transfers.download(manifest, Keys.checkpoints(jobId), staging);
                local.adopt(staging, step);
                log.info("Job {}: checkpoint {} fetched from {} and verified", jobId, step, location);
                return;
            } catch (CorruptArtifactException e) {
                log.warn("Job {}: checkpoint {} in the store is refused, the one before it is tried: {}", jobId, step, e.getMessage());
            } finally {
                FileTrees.delete(staging);
            }
        }
    }

    @Override
    public void checkpointSaved(String jobId, CheckpointInfo checkpoint, LongConsumer stored) {
        uploads.submit(jobId, checkpoints(jobId), checkpoint, stored);
    }

    /** After a run here: the job's local checkpoints are removed once the last of them is uploaded. */
    @Override
    public void runEnded(String jobId) {
        uploads.releaseWhenDone(jobId, () -> FileTrees.delete(checkpoints(jobId).directory().getParent()));
    }

    @Override
    public List<CheckpointInfo> listCheckpoints(String jobId) {
        String prefix = Keys.checkpoints(jobId);
        Map<Long, Long> sizes = new LinkedHashMap<>();
        Map<Long, StoredObject> manifests = new LinkedHashMap<>();
        for (StoredObject object : store.list(prefix)) {
            String name = object.key().substring(prefix.length());
            Keys.step(name).ifPresent(step -> {
                if (name.endsWith(Keys.MANIFEST_SUFFIX)) {
                    manifests.put(step, object);
                } else {
                    sizes.merge(step, object.size(), Long::sum);
                }
            });
        }
        Path dir = checkpoints(jobId).directory();
        return manifests.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new CheckpointInfo(e.getKey(), e.getValue().lastModified(), sizes.getOrDefault(e.getKey(), 0L),
                        dir.resolve("ckpt-" + e.getKey()))).toList();
    }

    private List<Long> completeSteps(String jobId) {
        return listCheckpoints(jobId).stream().map(CheckpointInfo::step).toList();
    }

    @Override
    public Path modelDir(String modelId) {
        return models.dir(modelId);
    }

    @Override
    public void publishModel(String modelId, BooleanSupplier giveUp) {
        models.publish(modelId, giveUp);
    }

    @Override
    public ModelManifest readModelManifest(String modelId) {
        return models.readManifest(modelId);
    }

    @Override
    public ModelPin useModel(String modelId) {
        return models.use(modelId);
    }

    @Override
    public void prefetchModel(String modelId) {
        models.prefetch(modelId);
    }

    @Override
    public void dropCachedModel(String modelId) {
        models.drop(modelId);
    }

    @Override
    public void deleteModel(String modelId) {
        models.delete(modelId);
    }

    @Override
    public void deleteJob(String jobId) {
        uploads.forget(jobId);
        uploads.deleteAll(ArtifactIds.checked(jobId));
        FileTrees.delete(checkpoints(jobId).directory().getParent());
    }

    @Override
    public Optional<Path> legacyModels() {
        return Optional.empty();
    }

    @Override
    public ArtifactHealth health() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("location", store.describe());
        details.put("uploadsPending", uploads.pending());
        details.put("cache", Map.of("directory", cache.toString(), "models", cached.count(), "bytes", cached.bytes()));
        String reason = probe.failure();
        if (reason == null && status.error() != null) {
            reason = "uploads fail since " + status.since() + ": " + status.error();
        }
        return new ArtifactHealth(reason == null, reason, details);
    }

    @Override
    public void sweep(Predicate<String> jobExists, Predicate<String> modelExists) {
        new BucketSweep(store, sweepGrace).sweep(jobExists, modelExists);
    }

    @Override
    public void close() {
        models.close();
        uploads.close();
        store.close();
    }
}
