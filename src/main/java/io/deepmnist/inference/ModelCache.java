package io.deepmnist.inference;

import io.deepmnist.engine.EngineSettings;
import io.deepmnist.engine.Precision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loaded SavedModels, least recently used evicted beyond the capacity. Neither the pinned model (the default)
 * nor the one being leased is evicted, so the cache may briefly hold one more than its capacity. A model
 * loads outside the cache's lock, once however many requests want it, so a slow load holds up only the
 * requests for that model, and those for {@code loadTimeout} at most. Retired models close their sessions outside
 * the lock too.
 */
final class ModelCache {

    private static final Logger log = LoggerFactory.getLogger(ModelCache.class);

    private final int capacity;
    private final Function<ModelEntry, LoadedModel> loader;
    private final Duration loadTimeout;
    private final LinkedHashMap<String, CompletableFuture<LoadedModel>> loaded = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * @param precision          of every session; null: each model's own
     * @param singleImageSession each model also gets a one-thread session for lone images
     */
    ModelCache(int capacity, EngineSettings settings, Precision precision, boolean singleImageSession, Duration loadTimeout) {
        this(capacity, entry -> LoadedModel.load(entry, settings, precision, singleImageSession), loadTimeout);
    }

    ModelCache(int capacity, Function<ModelEntry, LoadedModel> loader, Duration loadTimeout) {
        this.capacity = Math.max(1, capacity);
        this.loader = loader;
        this.loadTimeout = loadTimeout;
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
                List<CompletableFuture<LoadedModel>> evicted;
                synchronized (this) {
                    evicted = evict(pinned, entry.id());
                }
                retire(evicted);
            }
            LoadedModel model = await(future, entry.id());
            if (model.tryAcquire()) {
                return new ModelLease(model);
            }
            // Retired between the lookup and the lease (evicted or deleted): it is out of the map; look again.
        }
    }

    /** The loaded model, waiting for another request's load of it for {@code loadTimeout} at most. */
    private LoadedModel await(CompletableFuture<LoadedModel> future, String id) {
        try {
            return future.get(loadTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new PredictionRejectedException(PredictionRejectedException.Reason.OVERLOADED, ("model %s is still loading "
                    + "after %d s (mnist.inference.load-timeout); try again in a moment").formatted(id, loadTimeout.toSeconds()));
        } catch (ExecutionException e) {
            return Futures.join(future); // rethrows the load's own failure
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while model " + id + " was loading", e);
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
            future.completeExceptionally(e instanceof RuntimeException ? new ModelUnavailableException(entry.id(), e) : e);
        }
    }


    void remove(String id) {
        CompletableFuture<LoadedModel> future;
        synchronized (this) {
            future = loaded.remove(id);
        }
        if (future != null) {
            retire(List.of(future));
        }
    }

    void clear() {
        List<CompletableFuture<LoadedModel>> all;
        synchronized (this) {
            all = List.copyOf(loaded.values());
            loaded.clear();
        }
        retire(all);
    }

    /** Outside the lock: a retired model closes its sessions once its last request is done, which can take a while. */
    private static void retire(List<CompletableFuture<LoadedModel>> models) {
        models.forEach(f -> f.thenAccept(LoadedModel::retire));
    }

    /** Takes the least recently used loaded models beyond the capacity out, but not {@code pinned} or {@code leasing}. */
    private List<CompletableFuture<LoadedModel>> evict(String pinned, String leasing) {
        List<CompletableFuture<LoadedModel>> evicted = new ArrayList<>();
        Iterator<Map.Entry<String, CompletableFuture<LoadedModel>>> it = loaded.entrySet().iterator();
        while (loaded.size() > capacity && it.hasNext()) {
            Map.Entry<String, CompletableFuture<LoadedModel>> eldest = it.next();
            CompletableFuture<LoadedModel> future = eldest.getValue();
            boolean ready = future.isDone() && !future.isCompletedExceptionally();
            if (ready && !eldest.getKey().equals(pinned) && !eldest.getKey().equals(leasing)) {
                it.remove();
                evicted.add(future);
            }
        }
        return evicted;
    }
}
