package io.deepmnist.inference;

import io.deepmnist.engine.EngineSettings;
import io.deepmnist.engine.Precision;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loaded SavedModels, least recently used evicted beyond the capacity. Neither the pinned model (the default)
 * nor the one being leased is evicted, so the cache may briefly hold one more than its capacity. A model
 * loads outside the cache's lock, once however many requests want it, so a slow load holds up only the
 * requests for that model.
 */
final class ModelCache {

    private static final Logger log = LoggerFactory.getLogger(ModelCache.class);

    private final int capacity;
    private final Function<ModelEntry, LoadedModel> loader;
    private final LinkedHashMap<String, CompletableFuture<LoadedModel>> loaded = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * @param precision          of every session; null: each model's own
     * @param singleImageSession each model also gets a one-thread session for lone images
     */
    ModelCache(int capacity, EngineSettings settings, Precision precision, boolean singleImageSession) {
        this(capacity, entry -> LoadedModel.load(entry, settings, precision, singleImageSession));
    }

    ModelCache(int capacity, Function<ModelEntry, LoadedModel> loader) {
        this.capacity = Math.max(1, capacity);
        this.loader = loader;
    }

    /** A lease on the model, loading it first if needed. */
    ModelLease lease(ModelEntry entry, String pinned) {
        while (true) {
            CompletableFuture<LoadedModel> future;
            boolean mine = false;
            synchronized (this) {
                future = loaded.get(entry.id());
                if (future == null) {
                    future = new CompletableFuture<>();
                    loaded.put(entry.id(), future);
                    mine = true;
                }
            }
            if (mine) {
                load(entry, future);
                synchronized (this) {
                    evict(pinned, entry.id());
                }
            }
            LoadedModel model = Futures.join(future);
            if (model.tryAcquire()) {
                return new ModelLease(model);
            }
            // Retired between the lookup and the lease (evicted or deleted): it is out of the map; look again.
        }
    }

    private void load(ModelEntry entry, CompletableFuture<LoadedModel> future) {
        long start = System.nanoTime();
        try {
            LoadedModel model = loader.apply(entry);
            future.complete(model);
            log.info("Loaded model {} in {} ms: trained in {}, predicting in {}{}{}", entry.id(), (System.nanoTime() - start) / 1_000_000,
                    entry.manifest().trainedPrecision().id(), model.precision().id(),
                    model.isFrozen() ? " (a frozen graph, the weights as constants)" : "",
                    model.hasSingleImageSession() ? "; lone images in a one-thread session" : "");
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                loaded.remove(entry.id(), future);
            }
            future.completeExceptionally(e);
        }
    }


    synchronized void remove(String id) {
        CompletableFuture<LoadedModel> future = loaded.remove(id);
        if (future != null) {
            future.thenAccept(LoadedModel::retire);
        }
    }

    synchronized void clear() {
        List.copyOf(loaded.values()).forEach(f -> f.thenAccept(LoadedModel::retire));
        loaded.clear();
    }

    /** Evicts the least recently used loaded models beyond the capacity, but not {@code pinned} or {@code leasing}. */
    private void evict(String pinned, String leasing) {
        Iterator<Map.Entry<String, CompletableFuture<LoadedModel>>> it = loaded.entrySet().iterator();
        while (loaded.size() > capacity && it.hasNext()) {
            Map.Entry<String, CompletableFuture<LoadedModel>> eldest = it.next();
            CompletableFuture<LoadedModel> future = eldest.getValue();
            boolean ready = future.isDone() && !future.isCompletedExceptionally();
            if (ready && !eldest.getKey().equals(pinned) && !eldest.getKey().equals(leasing)) {
                it.remove();
                future.join().retire();
            }
        }
    }
}
