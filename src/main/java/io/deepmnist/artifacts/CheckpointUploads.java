package io.deepmnist.artifacts;

import io.deepmnist.engine.CheckpointInfo;
import io.deepmnist.engine.CheckpointStore;
import io.deepmnist.engine.FileTrees;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads checkpoints off the training thread: one upload in flight per job, and a newer checkpoint replaces an
 * older one still waiting. A failed upload is tried again, with a growing pause, until it succeeds or a newer
 * checkpoint takes its place; training never waits for it.
 */
final class CheckpointUploads implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CheckpointUploads.class);
    private static final long FIRST_RETRY_MS = 500;

    private final Transfers transfers;
    private final ObjectStore store;
    private final StoreStatus status;
    private final int keep;
    private final Duration retryMax;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "checkpoint-upload");
        t.setDaemon(true);
        return t;
    });

    CheckpointUploads(ObjectStore store, StoreStatus status, int keep, Duration retryMax) {
        this.transfers = new Transfers(store);
        this.store = store;
        this.status = status;
        this.keep = keep;
        this.retryMax = retryMax;
    }

    /** One job's queue of at most one checkpoint, and whether an upload runs for it. */
    private static final class Slot {
        CheckpointStore local;
        CheckpointInfo pending;
        LongConsumer stored;
        boolean running;
        boolean deleted;
        boolean releaseWhenDone;
    }

    void submit(String jobId, CheckpointStore local, CheckpointInfo checkpoint, LongConsumer stored) {
        Slot slot = slots.computeIfAbsent(jobId, id -> new Slot());
        synchronized (slot) {
            if (slot.pending != null) {
                log.debug("Checkpoint {} of job {} replaces {} in the upload queue", checkpoint.step(), jobId, slot.pending.step());
            }
            slot.local = local;
            slot.pending = checkpoint;
            slot.stored = stored;
            slot.deleted = false;
            slot.releaseWhenDone = false;
            if (slot.running) {
                return;
            }
            slot.running = true;
        }
        pool.execute(() -> drain(jobId, slot));
    }

    /** The job runs here again: its local checkpoints stay. */
    void keepLocal(String jobId) {
        Slot slot = slots.get(jobId);
        if (slot != null) {
            synchronized (slot) {
                slot.releaseWhenDone = false;
            }
        }
    }

    /** The job's run here ended: its local checkpoints go once the last of them is in the store. */
    void releaseWhenDone(String jobId, Runnable release) {
        Slot slot = slots.get(jobId);
        if (slot == null) {
            release.run();
            return;
        }
        synchronized (slot) {
            if (slot.running) {
                slot.releaseWhenDone = true;
                return;
            }
        }
        release.run();
    }

    /** The job is being deleted: nothing more of it is uploaded. */
    void forget(String jobId) {
        Slot slot = slots.remove(jobId);
        if (slot != null) {
            synchronized (slot) {
                slot.pending = null;
                slot.deleted = true;
            }
        }
    }

    int pending() {
        return (int) slots.values().stream().filter(s -> s.running).count();
    }

    private void drain(String jobId, Slot slot) {
        while (true) {
            CheckpointInfo next;
            synchronized (slot) {
                next = slot.pending;
                slot.pending = null;
                if (next == null || slot.deleted) {
                    slot.running = false;
                    if (slot.releaseWhenDone && !slot.deleted) {
                        slot.releaseWhenDone = false;
                        FileTrees.delete(slot.local.directory().getParent());
                    }
                    return;
                }
            }
            if (!uploadWithRetries(jobId, slot, next)) {
                return;
            }
        }
    }

    /** False when interrupted by shutdown. */
    private boolean uploadWithRetries(String jobId, Slot slot, CheckpointInfo checkpoint) {
        long pause = FIRST_RETRY_MS;
        while (true) {
            List<String> files = slot.local.fileNames(checkpoint.step());
            if (files.isEmpty()) {
                return true; // pruned locally: a newer checkpoint was saved, and waits in the slot
            }
            try {
                long start = System.nanoTime();
                transfers.upload(ObjectManifest.CHECKPOINT, jobId, checkpoint.step(), slot.local.directory(), files,
                        Keys.checkpoints(jobId), Keys.checkpointManifest(jobId, checkpoint.step()));
                status.ok();
                log.debug("Checkpoint {} of job {} is in the store ({} ms)", checkpoint.step(), jobId,
                        (System.nanoTime() - start) / 1_000_000);
                if (slot.deleted) {
                    deleteAll(jobId);
                    return true;
                }
                slot.stored.accept(checkpoint.step());
                prune(jobId);
                return true;
            } catch (RuntimeException e) {
                if (slot.local.fileNames(checkpoint.step()).isEmpty()) {
                    return true;
                }
                status.failed(e.getMessage());
                log.warn("Checkpoint {} of job {} is not in the store yet, trying again in {} ms: {}", checkpoint.step(), jobId,
                        pause, e.getMessage());
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("Checkpoint {} of job {} did not reach the store before shutdown", checkpoint.step(), jobId);
                return false;
            }
            pause = Math.min(pause * 2, retryMax.toMillis());
            synchronized (slot) {
                if (slot.pending != null || slot.deleted) {
                    return true; // a newer checkpoint takes this one's place
                }
            }
        }
    }

    /** Keeps the newest {@code keep} complete checkpoints: manifests go first, so no reader sees half of one. */
    private void prune(String jobId) {
        List<StoredObject> objects = store.list(Keys.checkpoints(jobId));
        List<Long> complete = objects.stream().map(o -> o.key().substring(Keys.checkpoints(jobId).length()))
                .filter(name -> name.endsWith(Keys.MANIFEST_SUFFIX)).map(Keys::step)
                .filter(s -> s.isPresent()).map(s -> s.getAsLong()).sorted(Comparator.reverseOrder()).toList();
        for (long old : complete.subList(Math.min(keep, complete.size()), complete.size())) {
            store.delete(List.of(Keys.checkpointManifest(jobId, old)));
            store.delete(objects.stream().map(StoredObject::key)
                    .filter(k -> Keys.step(k.substring(Keys.checkpoints(jobId).length())).orElse(-1) == old)
                    .filter(k -> !k.endsWith(Keys.MANIFEST_SUFFIX)).toList());
        }
    }

    void deleteAll(String jobId) {
        List<String> keys = store.list(Keys.JOBS + jobId + "/").stream().map(StoredObject::key)
                .sorted(Comparator.comparing((String k) -> !k.endsWith(Keys.MANIFEST_SUFFIX))).toList();
        store.delete(keys);
    }

    /** Lets queued uploads finish for at most {@code wait}, so that a graceful stop leaves the last checkpoints stored. */
    void close(Duration wait) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} checkpoint uploads did not finish within {} s of shutdown", pending(), wait.toSeconds());
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
