package io.deepmnist.inference;

import io.deepmnist.dataset.MnistFile;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Gathers concurrent requests for one model into one session run, as TF Serving's batching does: a batch
 * closes when it holds {@code maxBatch} images or when its first request has waited {@code maxWait}, whichever
 * comes first. Each request gets its own rows of the result back.
 *
 * <p>There is no dispatcher thread: a request that finds no batch running runs one itself, taking whatever is
 * queued (leader and followers), so a lone request pays no hand-off between threads. The leader waits for more
 * requests only while recent batches held more than one image, and never beyond {@code maxWait}.
 */
final class DynamicBatcher implements AutoCloseable {

    /** Runs a batch: pixels of {@code count} images in, their probabilities out, and the model that answered. */
    interface Runner {
        Output run(float[] pixels, int count);
    }

    record Output(String modelId, float[] probabilities) {
    }

    private record Pending(float[] pixels, int count, long enqueued, CompletableFuture<Output> result) {
    }

    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final ReentrantLock leader = new ReentrantLock();
    private final Runner runner;
    private final int maxBatch;
    private final long maxWaitNanos;
    private volatile boolean closed;
    private Pending carried;
    private double recentBatchSize = 1;

    DynamicBatcher(Runner runner, int maxBatch, long maxWaitNanos) {
        this.runner = runner;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWaitNanos;
    }

    /** Predicts {@code count} images, in a batch with whatever other requests are waiting. */
    Output call(float[] pixels, int count) throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("the service is shutting down");
        }
        Pending own = new Pending(pixels, count, System.nanoTime(), new CompletableFuture<>());
        queue.add(own);
        while (!own.result().isDone()) {
            if (leader.tryLock()) {
                try {
                    while (hasWork()) {
                        runBatch();
                    }
                } finally {
                    leader.unlock();
                }
            }
            if (!own.result().isDone()) {
                try {
                    return own.result().get(RECHECK_NANOS, TimeUnit.NANOSECONDS);
                } catch (TimeoutException stillQueued) {
                    // the leader may have finished just before this request was queued: try to lead
                } catch (ExecutionException e) {
                    break;
                }
            }
        }
        return await(own.result());
    }

    private boolean hasWork() {
        return carried != null || !queue.isEmpty();
    }

    /** Every request taken from the queue is completed, also when the leader is interrupted while it gathers. */
    private void runBatch() {
        Pending first = carried != null ? carried : queue.poll();
        carried = null;
        if (first == null) {
            return;
        }
        List<Pending> batch = new ArrayList<>();
        batch.add(first);
        int images = first.count();
        long deadline = first.enqueued() + maxWaitNanos;
        boolean underLoad = recentBatchSize > 1.5;
        boolean interrupted = false;
        while (images < maxBatch) {
            Pending next = queue.poll();
            if (next == null) {
                long left = deadline - System.nanoTime();
                try {
                    next = underLoad && left > 0 && !interrupted ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                if (next == null) {
                    break;
                }
            }
            if (images + next.count() > maxBatch) {
                carried = next;
                break;
            }
            batch.add(next);
            images += next.count();
        }
        recentBatchSize = 0.8 * recentBatchSize + 0.2 * images;
        run(batch, images);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(List<Pending> batch, int images) {
        try {
            float[] pixels = new float[images * MnistFile.PIXELS];
            int offset = 0;
            for (Pending p : batch) {
                System.arraycopy(p.pixels(), 0, pixels, offset * MnistFile.PIXELS, p.count() * MnistFile.PIXELS);
                offset += p.count();
            }
            Output output = runner.run(pixels, images);
            offset = 0;
            for (Pending p : batch) {
                float[] own = new float[p.count() * MnistFile.CLASSES];
                System.arraycopy(output.probabilities(), offset * MnistFile.CLASSES, own, 0, own.length);
                offset += p.count();
                p.result().complete(new Output(output.modelId(), own));
            }
        } catch (RuntimeException | Error e) {
            batch.forEach(p -> p.result().completeExceptionally(e));
        }
    }

    private static Output await(CompletableFuture<Output> result) throws InterruptedException {
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        closed = true;
        Pending p;
        while ((p = queue.poll()) != null) {
            p.result().completeExceptionally(new IllegalStateException("the service is shutting down"));
        }
    }
}
