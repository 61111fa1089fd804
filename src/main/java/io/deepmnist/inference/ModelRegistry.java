package io.deepmnist.inference;

import io.deepmnist.artifacts.ArtifactStore;
import io.deepmnist.config.InferenceProperties;
import io.deepmnist.engine.ArtifactIds;
import io.deepmnist.engine.EngineSettings;
import io.deepmnist.engine.ModelManifest;
import io.deepmnist.engine.Precision;
import io.deepmnist.store.StoreNotifications;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * The registered models, their aliases, and the one that answers {@code /predict} (the alias {@code default}).
 * Which models exist and what the aliases name live in the job store ({@link RegistryStore}), shared by every replica; the SavedModels and manifests live on
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
    private final ApplicationEventPublisher events;
    private final Map<String, ModelEntry> models = new ConcurrentHashMap<>();
    private final ExecutorService refresher;
    private final AtomicBoolean refreshPending = new AtomicBoolean();
    private volatile String defaultId;
    /** Alias to model id, {@code default} among them; replaced whole, never changed in place. */
    private volatile Map<String, String> aliases;
    private volatile boolean defaultReady;

    ModelRegistry(ArtifactStore artifacts, InferenceProperties properties, EngineSettings settings, RegistryStore store,
                  StoreNotifications notifications, ApplicationEventPublisher events) {
        this.artifacts = artifacts;
        this.events = events;
        Precision precision = sessionPrecision(properties.precision());
        this.cache = new ModelCache(properties.cacheSize(), entry -> load(entry, settings, precision, properties.singleImageSession()),
                properties.loadTimeout());
        this.store = store;
        artifacts.legacyModels().ifPresent(dir -> LegacyModels.importInto(dir, store));
        RegistryStore.Snapshot snapshot = store.read();
        snapshot.versions().forEach(this::add);
        aliases = registered(snapshot.aliases());
        defaultId = aliases.get(RegistryStore.DEFAULT);
        log.info("{} models registered; default {}; aliases {}", models.size(), defaultId, aliases);
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

    /** A model by its id or by an alias; an id wins over an alias of the same name. */
    public ModelEntry named(String idOrAlias) {
        if (idOrAlias != null && !models.containsKey(idOrAlias)) {
            String target = aliases.get(idOrAlias);
            if (target != null && models.containsKey(target)) {
                return models.get(target);
            }
        }
        return get(idOrAlias);
    }

    /** Every alias and the model it names, {@code default} among them, sorted by alias. */
    public Map<String, String> aliases() {
        return aliases;
    }

    /** The aliases that name this model, sorted. */
    public List<String> aliasesOf(String id) {
        return aliases.entrySet().stream().filter(a -> a.getValue().equals(id)).map(Map.Entry::getKey).toList();
    }

    /**
     * Points an alias at a model, for every replica; {@code default} is a promotion. The model is loaded here first,
     * so that the first requests routed to the alias do not wait for it.
     *
     * @throws AliasException where the name is not a valid alias or is a model's id
     */
    public synchronized ModelEntry setAlias(String alias, String id) {
        AliasException.checkName(alias, models.keySet());
        if (alias.equals(RegistryStore.DEFAULT)) {
            return promote(id);
        }
        if (!aliases.containsKey(alias) && aliases.size() >= AliasException.MAX_ALIASES) {
            throw tooManyAliases();
        }
        ModelEntry entry = get(id);
        cache.lease(entry, defaultId).close();
        store.setAlias(alias, id);
        String previous = aliases.get(alias);
        aliases = with(aliases, alias, id);
        log.info("Alias {} now names model {}", alias, id);
        events.publishEvent(new ModelEvent(ModelEvent.ALIAS, new ModelEvent.AliasMoved(alias, id, previous)));
        return entry;
    }

    /**
     * Removes an alias for every replica.
     *
     * @throws AliasException for {@code default}, which only a promotion moves
     * @throws AliasException where there is no such alias
     */
    public synchronized void removeAlias(String alias) {
        if (alias.equals(RegistryStore.DEFAULT)) {
            throw AliasException.conflict("The alias 'default' cannot be removed: it names the model that /predict answers "
                    + "with. Promote another model to move it (POST /models/{id}/promote)");
        }
        if (!store.removeAlias(alias) && !aliases.containsKey(alias)) {
            throw AliasException.notFound(alias);
        }
        Map<String, String> fewer = new TreeMap<>(aliases);
        String previous = fewer.remove(alias);
        aliases = Collections.unmodifiableMap(fewer);
        log.info("Alias {} removed", alias);
        events.publishEvent(new ModelEvent(ModelEvent.ALIAS, new ModelEvent.AliasMoved(alias, null, previous)));
    }

    private AliasException tooManyAliases() {
        return AliasException.conflict("There are " + aliases.size() + " aliases, as many as the service keeps; remove one "
                + "first (DELETE /models/aliases/{alias})");
    }

    public Optional<String> defaultModelId() {
        return Optional.ofNullable(defaultId);
    }

    /** {@code id} if it is a model, or the default model's id when {@code id} is null. */
    public String resolve(String id) {
        if (id != null) {
            return named(id).id();
        }
        String target = defaultId;
        if (target == null) {
            throw new NoDefaultModelException();
        }
        return target;
    }

    /** A lease on {@code id} (a model's id or an alias), or on the default model when {@code id} is null. */
    public ModelLease lease(String id) {
        String target = id != null ? id : defaultId;
        if (target == null) {
            throw new NoDefaultModelException();
        }
        return cache.lease(named(target), defaultId);
    }

    public synchronized ModelEntry promote(String id) {
        ModelEntry entry = get(id);
        cache.lease(entry, id).close();
        store.setAlias(RegistryStore.DEFAULT, id);
        String previous = defaultId;
        aliases = with(aliases, RegistryStore.DEFAULT, id);
        defaultId = id;
        defaultReady = true;
        log.info("Model {} is now the default", id);
        if (!id.equals(previous)) {
            events.publishEvent(new ModelEvent(ModelEvent.ALIAS, new ModelEvent.AliasMoved(RegistryStore.DEFAULT, id, previous)));
        }
        return entry;
    }

    /** Removes the model from the store first, which refuses a model that any replica's alias names, then its files. */
    public synchronized void delete(String id) {
        ModelEntry entry = get(id);
        List<String> naming = aliasesOf(id);
        if (!naming.isEmpty()) {
            throw new ModelInUseException(id, naming);
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
     * when it is more accurate on the test set than the current default and was not trained to be named by an alias
     * (a challenger is compared on live traffic instead). If it cannot become what it should (loaded as the default,
     * or named by its alias), it is not added and the error is thrown.
     *
     * @param alias the alias to point at it, {@code default} being a promotion; null for none
     */
    public synchronized void register(ModelManifest manifest, Path modelDir, boolean promote, String alias) {
        long version = store.add(manifest.modelId(), manifest.createdAt());
        ModelEntry entry = new ModelEntry(manifest, modelDir, version);
        models.put(entry.id(), entry);
        ModelEntry current = defaultId == null ? null : models.get(defaultId);
        boolean toDefault = promote || RegistryStore.DEFAULT.equals(alias);
        try {
            if (current == null || toDefault || (alias == null && entry.testAccuracy() > current.testAccuracy())) {
                promote(entry.id());
            }
            if (alias != null && !RegistryStore.DEFAULT.equals(alias)) {
                setAlias(alias, entry.id());
            }
        } catch (RuntimeException e) {
            if (entry.id().equals(defaultId)) {
                // It answers /predict already; only its alias is missing.
                log.warn("Model {} is the default, but the alias {} could not name it: {}", entry.id(), alias, e.getMessage());
                return;
            }
            // A model that cannot be loaded is not left registered.
            models.remove(entry.id());
            cache.remove(entry.id());
            store.remove(entry.id());
            throw e;
        }
    }

    /**
     * Checks, before a job is trained to be named by it, that {@code alias} could name its model.
     *
     * @throws AliasException where the name is not a valid alias, is a model's id, or would be one alias too many
     */
    public void checkAlias(String alias) {
        AliasException.checkName(alias, models.keySet());
        if (!aliases.containsKey(alias) && aliases.size() >= AliasException.MAX_ALIASES) {
            throw tooManyAliases();
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
            if (!snapshot.ids().contains(id) && !aliases.containsValue(id)) {
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
        Map<String, String> seen = registered(snapshot.aliases());
        seen.forEach((alias, id) -> {
            if (!alias.equals(RegistryStore.DEFAULT) && !id.equals(aliases.get(alias))) {
                loadQuietly(id);
                log.info("Alias {} now names model {} (set on another replica)", alias, id);
            }
        });
        aliases = defaultId == null ? seen : with(seen, RegistryStore.DEFAULT, defaultId);
    }

    private void loadQuietly(String id) {
        try {
            cache.lease(models.get(id), defaultId).close();
        } catch (RuntimeException e) {
            log.warn("Model {} cannot be loaded here: {}", id, e.getMessage());
        }
    }

    /** The aliases of registered models only, sorted. */
    private Map<String, String> registered(Map<String, String> stored) {
        Map<String, String> known = new TreeMap<>(stored);
        known.values().removeIf(id -> !models.containsKey(id));
        return Collections.unmodifiableMap(known);
    }

    private static Map<String, String> with(Map<String, String> aliases, String alias, String id) {
        Map<String, String> more = new TreeMap<>(aliases);
        more.put(alias, id);
        return Collections.unmodifiableMap(more);
    }

    private void add(String id, long version) {
        try {
            models.put(id, new ModelEntry(artifacts.readModelManifest(ArtifactIds.checked(id)), artifacts.modelDir(id), version));
        } catch (RuntimeException e) {
            log.warn("Model {} is registered but its manifest cannot be read from {} ({})", id, artifacts.location(), e.getMessage());
        }
    }
}
