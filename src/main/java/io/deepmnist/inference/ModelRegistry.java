package io.deepmnist.inference;

import io.deepmnist.config.InferenceProperties;
import io.deepmnist.config.MnistProperties;
import io.deepmnist.engine.ArtifactIds;
import io.deepmnist.engine.EngineSettings;
import io.deepmnist.engine.FileTrees;
import io.deepmnist.engine.ModelExporter;
import io.deepmnist.engine.ModelManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The models under {@code mnist.home/models}, and which one answers {@code /predict}. The default is kept in
 * {@code models/default} (written atomically), so it survives restarts, and is loaded before the service
 * takes requests. Promotion loads the new model first and then swaps one reference: requests in flight
 * finish on the model they started with.
 */
@Component
public class ModelRegistry implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);
    private static final String DEFAULT_FILE = "default";

    private final Path dir;
    private final ModelCache cache;
    private final Map<String, ModelEntry> models = new ConcurrentHashMap<>();
    private volatile String defaultId;
    private volatile boolean defaultReady;

    ModelRegistry(MnistProperties mnist, InferenceProperties properties, EngineSettings settings) {
        this.dir = mnist.home().resolve("models");
        this.cache = new ModelCache(properties.cacheSize(), settings);
        scan();
        String initial = defaultId;
        if (initial == null) {
            defaultReady = true;
        } else {
            // Loaded beside start-up; a request that comes first waits for it rather than failing.
            Thread loader = new Thread(() -> warmUp(initial), "model-loader");
            loader.setDaemon(true);
            loader.start();
        }
    }

    /** True once the default model, if there is one, is loaded and can answer at once. */
    public boolean isDefaultReady() {
        return defaultReady;
    }

    private void warmUp(String id) {
        try {
            cache.lease(models.get(id), id).close();
        } catch (RuntimeException e) {
            log.error("The default model {} cannot be loaded: {}", id, e.getMessage(), e);
        }
        defaultReady = true;
    }

    public List<ModelEntry> list() {
        return models.values().stream().sorted(Comparator.comparing((ModelEntry m) -> m.manifest().createdAt()).reversed()).toList();
    }

    public ModelEntry get(String id) {
        ModelEntry entry = ArtifactIds.isValid(id) ? models.get(id) : null;
        if (entry == null) {
            throw new ModelNotFoundException(id);
        }
        return entry;
    }

    public Optional<String> defaultModelId() {
        return Optional.ofNullable(defaultId);
    }

    /** {@code id} if it is a model, or the default model's id when {@code id} is null. */
    public String resolve(String id) {
        if (id != null) {
            return get(id).id();
        }
        String target = defaultId;
        if (target == null) {
            throw new NoDefaultModelException();
        }
        return target;
    }

    /** A lease on {@code id}, or on the default model when {@code id} is null. */
    public ModelLease lease(String id) {
        String target = id != null ? id : defaultId;
        if (target == null) {
            throw new NoDefaultModelException();
        }
        return cache.lease(get(target), defaultId);
    }

    public synchronized ModelEntry promote(String id) {
        ModelEntry entry = get(id);
        cache.lease(entry, id).close();
        writeDefault(id);
        defaultId = id;
        defaultReady = true;
        log.info("Model {} is now the default", id);
        return entry;
    }

    public synchronized void delete(String id) {
        ModelEntry entry = get(id);
        if (id.equals(defaultId)) {
            throw new ModelInUseException(id);
        }
        models.remove(id);
        cache.remove(id);
        FileTrees.delete(entry.dir());
    }

    /**
     * Adds a newly exported model, and makes it the default when there is none, when {@code promote} is set, or
     * when it is more accurate on the test set than the current default.
     */
    public synchronized void register(ModelManifest manifest, Path modelDir, boolean promote) {
        ModelEntry entry = new ModelEntry(manifest, modelDir);
        models.put(entry.id(), entry);
        ModelEntry current = defaultId == null ? null : models.get(defaultId);
        if (current == null || promote || entry.testAccuracy() > current.testAccuracy()) {
            promote(entry.id());
        }
    }

    @Override
    public void destroy() {
        cache.clear();
    }

    private void scan() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : children.filter(p -> Files.isRegularFile(p.resolve(ModelExporter.MANIFEST))).toList()) {
                try {
                    ModelEntry entry = new ModelEntry(ModelExporter.readManifest(child), child);
                    models.put(entry.id(), entry);
                } catch (RuntimeException e) {
                    log.warn("Skipping {}: its manifest cannot be read ({})", child, e.getMessage());
                }
            }
            Path pointer = dir.resolve(DEFAULT_FILE);
            if (Files.isRegularFile(pointer)) {
                String id = Files.readString(pointer, StandardCharsets.UTF_8).strip();
                if (models.containsKey(id)) {
                    defaultId = id;
                } else {
                    log.warn("The default model {} named in {} is gone; /predict has no default until one is promoted", id, pointer);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the models in " + dir + ": " + e.getMessage(), e);
        }
        log.info("{} models registered; default {}", models.size(), defaultId);
    }

    private void writeDefault(String id) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(DEFAULT_FILE + ".tmp");
            Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(DEFAULT_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the default model in " + dir + ": " + e.getMessage(), e);
        }
    }
}
