package io.deepmnist.inference;

import io.deepmnist.engine.EngineSettings;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loaded SavedModels, least recently used evicted beyond the capacity; a pinned model is never evicted. */
final class ModelCache {

    private static final Logger log = LoggerFactory.getLogger(ModelCache.class);

    private final int capacity;
    private final EngineSettings settings;
    private final LinkedHashMap<String, LoadedModel> loaded = new LinkedHashMap<>(16, 0.75f, true);

    ModelCache(int capacity, EngineSettings settings) {
        this.capacity = Math.max(1, capacity);
        this.settings = settings;
    }

    /** A lease on the model, loading it first if needed. */
    ModelLease lease(ModelEntry entry, String pinned) {
        while (true) {
            LoadedModel model;
            synchronized (this) {
                model = loaded.get(entry.id());
                if (model == null) {
                    long start = System.nanoTime();
                    model = LoadedModel.load(entry, settings);
                    loaded.put(entry.id(), model);
                    log.info("Loaded model {} in {} ms", entry.id(), (System.nanoTime() - start) / 1_000_000);
                    evict(pinned);
                }
            }
            if (model.tryAcquire()) {
                return new ModelLease(model);
            }
        }
    }

    synchronized void remove(String id) {
        LoadedModel model = loaded.remove(id);
        if (model != null) {
            model.retire();
        }
    }

    synchronized void clear() {
        loaded.values().forEach(LoadedModel::retire);
        loaded.clear();
    }

    private void evict(String pinned) {
        Iterator<Map.Entry<String, LoadedModel>> it = loaded.entrySet().iterator();
        while (loaded.size() > capacity && it.hasNext()) {
            Map.Entry<String, LoadedModel> eldest = it.next();
            if (!eldest.getKey().equals(pinned)) {
                it.remove();
                eldest.getValue().retire();
            }
        }
    }
}
