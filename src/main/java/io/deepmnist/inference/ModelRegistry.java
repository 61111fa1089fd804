package io.deepmnist.inference;

import io.deepmnist.artifacts.ArtifactStore;
import io.deepmnist.config.InferenceProperties;
import io.deepmnist.engine.ArtifactIds;
import io.deepmnist.engine.EngineSettings;
import io.deepmnist.engine.ModelManifest;
import io.deepmnist.engine.Precision;
import io.deepmnist.store.StoreNotifications;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The registered models and the one that answers {@code /predict}. Which models exist and which is the default
 * live in the job store ({@link RegistryStore}), shared by every replica; the SavedModels and manifests live on
 * the shared volume under {@code mnist.home/models}. A change is announced to the other replicas, which read the
 * store again at once, and also every {@code mnist.inference.registry-refresh} in case the announcement was
 * lost. Promotion loads the new model first and then swaps one reference:
 * requests in flight finish on the model they started with, here and on the other replicas.
 */
@Component
public class ModelRegistry implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);
    static final String EACH_MODELS_OWN = "model";

    private final ArtifactStore artifacts;
    private final ModelCache cache;
    private final RegistryStore store;
    private final Map<String, ModelEntry> models = new ConcurrentHashMap<>();
    private final ExecutorService refresher;
    private final AtomicBoolean refreshPending = new AtomicBoolean();
    private volatile String defaultId;
    private volatile boolean defaultReady;

    ModelRegistry(ArtifactStore artifacts, InferenceProperties properties, EngineSettings settings, RegistryStore store,
                  StoreNotifications notifications) {
        this.artifacts = artifacts;
        Precision precision = sessionPrecision(properties.precision());
        this.cache = new ModelCache(properties.cacheSize(), entry -> load(entry, settings, precision, properties.singleImageSession()),
                properties.loadTimeout());
        this.store = store;
        artifacts.legacyModels().ifPresent(dir -> LegacyModels.importInto(dir, store));
        RegistryStore.Snapshot snapshot = store.read();
        snapshot.versions().forEach(this::add);
        defaultId = snapshot.defaultId().filter(models::containsKey).orElse(null);
        log.info("{} models registered; default {}", models.size(), defaultId);
        String initial = defaultId;
        if (initial == null) {
            defaultReady = true;
        } else {
            // Loaded beside start-up; a request that comes first waits for it rather than failing.
            Thread loader = new Thread(() -> warmUp(initial), "model-loader");
            loader.setDaemon(true);
            loader.start();
        }
        this.refresher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "model-registry-refresh");
            t.setDaemon(true);
            return t;
        });
        notifications.listen(RegistryStore.CHANNEL, properties.registryRefresh(), changed -> refreshSoon(), this::refreshSoon);
    }

    /** {@code mnist.inference.precision}: one precision for every model's sessions, or null for each model's own. */
    static Precision sessionPrecision(String setting) {
        return setting.strip().equalsIgnoreCase(EACH_MODELS_OWN) ? null : Precision.fromSetting("mnist.inference.precision"
                + " (or '" + EACH_MODELS_OWN + "': each model in the precision it was trained in)", setting);
    }

    /** Fetches the model's files first where they live in a bucket; they stay on disk while the model is loaded. */
    private LoadedModel load(ModelEntry entry, EngineSettings settings, Precision precision, boolean singleImageSession) {
        ArtifactStore.ModelPin pin = artifacts.useModel(entry.id());
        try {
            LoadedModel model = LoadedModel.load(entry, settings, precision, singleImageSession);
            model.closeAlso(pin::close);
            return model;
        } catch (RuntimeException | Error e) {
            pin.close();
            throw e;
        }
    }

    /** Loading a promoted model takes a while: it happens here, not on the thread that heard of it. */
    private void refreshSoon() {
        if (refreshPending.compareAndSet(false, true)) {
            refresher.execute(() -> {
                refreshPending.set(false);
                refresh();
            });
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

    /** The model with this version, whichever it is. */
    public Optional<ModelEntry> byVersion(long version) {
        return models.values().stream().filter(m -> m.version() == version).findFirst();
    }

    public boolean isRegistered(String id) {
        return models.containsKey(id);
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
        store.setDefault(id);
        defaultId = id;
        defaultReady = true;
        log.info("Model {} is now the default", id);
        return entry;
    }

    /** Removes the model from the store first, which refuses the default of any replica, then its files. */
    public synchronized void delete(String id) {
        ModelEntry entry = get(id);
        if (id.equals(defaultId)) {
            throw new ModelInUseException(id);
        }
        store.remove(id);
        models.remove(id);
        cache.remove(id);
        try {
            artifacts.deleteModel(entry.id());
        } catch (RuntimeException e) {
            // The model is gone from the registry; a later start-up sweep removes what is left of it in the bucket.
            log.warn("Model {} is deleted, but its files could not be removed now ({}); the start-up sweep removes them",
                    id, e.getMessage());
        }
    }

    /**
     * Adds a newly exported model, and makes it the default when there is none, when {@code promote} is set, or
     * when it is more accurate on the test set than the current default. If it should become the default but
     * cannot be loaded, it is not added and the error is thrown.
     */
    public synchronized void register(ModelManifest manifest, Path modelDir, boolean promote) {
        long version = store.add(manifest.modelId(), manifest.createdAt());
        ModelEntry entry = new ModelEntry(manifest, modelDir, version);
        models.put(entry.id(), entry);
        ModelEntry current = defaultId == null ? null : models.get(defaultId);
        if (current == null || promote || entry.testAccuracy() > current.testAccuracy()) {
            try {
                promote(entry.id());
            } catch (RuntimeException e) {
                // A model that cannot be loaded is not left registered.
                models.remove(entry.id());
                cache.remove(entry.id());
                store.remove(entry.id());
                throw e;
            }
        }
    }

    @Override
    public void destroy() {
        refresher.shutdownNow();
        cache.clear();
    }

    /** Takes in what other replicas changed: models added or deleted, and a new default, loaded before it answers. */
    synchronized void refresh() {
        RegistryStore.Snapshot snapshot;
        try {
            snapshot = store.read();
        } catch (RuntimeException e) {
            log.debug("Cannot read the model registry: {}", e.getMessage());
            return;
        }
        snapshot.versions().forEach((id, version) -> {
            if (!models.containsKey(id)) {
                add(id, version);
                artifacts.prefetchModel(id);
            }
        });
        for (String id : List.copyOf(models.keySet())) {
            if (!snapshot.ids().contains(id) && !id.equals(defaultId)) {
                models.remove(id);
                cache.remove(id);
                artifacts.dropCachedModel(id);
            }
        }
        String wanted = snapshot.defaultId().filter(models::containsKey).orElse(null);
        if (wanted != null && !wanted.equals(defaultId)) {
            try {
                cache.lease(models.get(wanted), wanted).close();
                defaultId = wanted;
                defaultReady = true;
                log.info("Model {} is now the default (promoted on another replica)", wanted);
            } catch (RuntimeException e) {
                log.warn("Model {} was promoted elsewhere but cannot be loaded here: {}", wanted, e.getMessage());
            }
        }
    }

    private void add(String id, long version) {
        try {
            models.put(id, new ModelEntry(artifacts.readModelManifest(ArtifactIds.checked(id)), artifacts.modelDir(id), version));
        } catch (RuntimeException e) {
            log.warn("Model {} is registered but its manifest cannot be read from {} ({})", id, artifacts.location(), e.getMessage());
        }
    }
}
