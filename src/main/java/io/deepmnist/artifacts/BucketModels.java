package io.deepmnist.artifacts;

import io.deepmnist.engine.ArtifactIds;
import io.deepmnist.engine.FileTrees;
import io.deepmnist.engine.ModelExporter;
import io.deepmnist.engine.ModelManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SavedModels in a bucket: published once exported, fetched and verified into this replica's {@link ModelFiles}
 * when first used (or ahead, when another replica registers one), one fetch per model at a time.
 */
final class BucketModels implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BucketModels.class);

    private final ArtifactLocation location;
    private final ObjectStore store;
    private final Transfers transfers;
    private final StoreStatus status;
    private final ModelFiles files;
    private final Duration retryMax;
    private final Map<String, Object> fetching = new ConcurrentHashMap<>();
    private final ExecutorService prefetcher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "model-prefetch");
        t.setDaemon(true);
        return t;
    });

    BucketModels(ArtifactLocation location, ObjectStore store, StoreStatus status, ModelFiles files, Duration retryMax) {
        this.location = location;
        this.store = store;
        this.transfers = new Transfers(store);
        this.status = status;
        this.files = files;
        this.retryMax = retryMax;
    }

    Path dir(String modelId) {
        return files.dir(ArtifactIds.checked(modelId));
    }

    /** Uploads the exported model, its manifest last, trying again while the store is away until {@code giveUp}. */
    void publish(String modelId, BooleanSupplier giveUp) {
        Path dir = dir(modelId);
        List<String> names = relativeFiles(dir);
        long pause = 500;
        while (true) {
            try {
                transfers.upload(ObjectManifest.MODEL, modelId, 0, dir, names, Keys.model(modelId), Keys.modelManifest(modelId));
                status.ok();
                files.added(modelId, false);
                return;
            } catch (ArtifactStoreException e) {
                status.failed(e.getMessage());
                if (giveUp.getAsBoolean()) {
                    throw e;
                }
                log.warn("Model {} is not in the store yet, trying again in {} ms: {}", modelId, pause, e.getMessage());
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ArtifactStoreException("interrupted while model " + modelId + " waited for the store", e);
            }
            pause = Math.min(pause * 2, retryMax.toMillis());
        }
    }

    ModelManifest readManifest(String modelId) {
        if (files.contains(modelId)) {
            return ModelExporter.readManifest(dir(modelId));
        }
        String key = Keys.model(modelId) + ModelExporter.MANIFEST;
        return ModelExporter.readManifest(store.get(key).orElseThrow(() -> new CorruptArtifactException(key + " is not in the store")));
    }

    ArtifactStore.ModelPin use(String modelId) {
        Path dir = dir(modelId);
        synchronized (lock(modelId)) {
            if (files.contains(modelId)) {
                files.pin(modelId);
            } else {
                fetch(modelId, dir);
                files.added(modelId, true);
            }
        }
        return new ArtifactStore.ModelPin() {
            @Override
            public Path dir() {
                return dir;
            }

            @Override
            public void close() {
                files.unpin(modelId);
            }
        };
    }

    void prefetch(String modelId) {
        prefetcher.execute(() -> {
            try {
                use(modelId).close();
            } catch (RuntimeException e) {
                log.warn("Model {} was not fetched ahead of its use: {}", modelId, e.getMessage());
            }
        });
    }

    void drop(String modelId) {
        synchronized (lock(modelId)) {
            files.remove(modelId);
        }
    }

    /** Its manifest first, so that no replica fetches half a model meanwhile. */
    void delete(String modelId) {
        store.delete(List.of(Keys.modelManifest(modelId)));
        store.delete(store.list(Keys.model(modelId)).stream().map(StoredObject::key).toList());
        drop(modelId);
    }

    private Object lock(String modelId) {
        return fetching.computeIfAbsent(modelId, id -> new Object());
    }

    private void fetch(String modelId, Path dir) {
        String key = Keys.modelManifest(modelId);
        ObjectManifest manifest = ObjectManifest.parse(store.get(key).orElseThrow(() -> new CorruptArtifactException(
                "model " + modelId + " has no manifest in " + location + ": its upload never finished, or it was deleted")), key);
        Path staging = dir.resolveSibling(ModelFiles.STAGING_PREFIX + modelId);
        FileTrees.delete(staging);
        try {
            long start = System.nanoTime();
            transfers.download(manifest, Keys.model(modelId), staging);
            FileTrees.delete(dir);
            Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            log.info("Model {} fetched from {} and verified: {} bytes in {} ms", modelId, location, manifest.size(),
                    (System.nanoTime() - start) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot place model " + modelId + " in " + dir + ": " + e.getMessage(), e);
        } finally {
            FileTrees.delete(staging);
        }
    }

    private static List<String> relativeFiles(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            List<String> names = new ArrayList<>();
            walk.filter(Files::isRegularFile).sorted(Comparator.naturalOrder())
                    .forEach(p -> names.add(dir.relativize(p).toString().replace('\\', '/')));
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        prefetcher.shutdownNow();
    }
}
