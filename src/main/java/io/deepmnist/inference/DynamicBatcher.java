package io.deepmnist.inference;

import io.deepmnist.dataset.MnistFile;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers concurrent requests for one model into one session run, as TF Serving's batching does: a batch
 * closes when it holds {@code maxBatch} images or when its first request has waited {@code maxWait}, whichever
 * comes first. Each request gets its own rows of the result back.
 */
final class DynamicBatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DynamicBatcher.class);

    /** Runs a batch: pixels of {@code count} images in, their probabilities out, and the model that answered. */
    interface Runner {
        Output run(float[] pixels, int count);
    }

    record Output(String modelId, float[] probabilities) {
    }

    private record Pending(float[] pixels, int count, long enqueued, CompletableFuture<Output> result) {
    }

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Runner runner;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final Thread dispatcher;
    private volatile boolean running = true;

    DynamicBatcher(String name, Runner runner, int maxBatch, long maxWaitNanos) {
        this.runner = runner;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWaitNanos;
        this.dispatcher = new Thread(this::dispatch, "batcher-" + name);
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    CompletableFuture<Output> submit(float[] pixels, int count) {
        CompletableFuture<Output> result = new CompletableFuture<>();
        if (!running) {
            result.completeExceptionally(new IllegalStateException("the batcher is closed"));
        } else {
            queue.add(new Pending(pixels, count, System.nanoTime(), result));
        }
        return result;
    }

    private void dispatch() {
        Pending carried = null;
        while (running) {
            try {
                Pending first = carried != null ? carried : queue.poll(100, TimeUnit.MILLISECONDS);
                carried = null;
                if (first == null) {
                    continue;
                }
                List<Pending> batch = new ArrayList<>();
                batch.add(first);
                int images = first.count();
                long deadline = first.enqueued() + maxWaitNanos;
                while (images < maxBatch) {
                    Pending next = queue.poll();
                    if (next == null) {
                        long left = deadline - System.nanoTime();
                        next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
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
                run(batch, images);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
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
        } catch (RuntimeException e) {
            batch.forEach(p -> p.result().completeExceptionally(e));
        } catch (Error e) {
            log.error("A batch of {} images failed", images, e);
            batch.forEach(p -> p.result().completeExceptionally(e));
        }
    }

    @Override
    public void close() {
        running = false;
        dispatcher.interrupt();
        Pending p;
        while ((p = queue.poll()) != null) {
            p.result().completeExceptionally(new IllegalStateException("the service is shutting down"));
        }
    }
}
