package io.deepmnist.inference;

import io.deepmnist.dataset.MnistFile;
import io.deepmnist.inference.PredictionRejectedException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Gathers concurrent requests for one model into one session run, as TF Serving's batching does: a batch
 * closes when it holds {@code maxBatch} images, when its first request has waited {@code maxWait}, or when no
 * request has joined it for {@code idle}, whichever comes first. Each request gets its own rows of the result back.
 * Without the idle bound, eight clients that each wait for their answer before they send again filled a batch to
 * eight in a few hundred microseconds, and then it waited out all of {@code maxWait} for images that could not
 * come: half the calls a second at concurrency 8.
 *
 * <p>There is no dispatcher thread: a request that finds no batch running runs one itself (the leader), taking
 * whatever is queued, so a lone request pays no hand-off between threads. Waiting requests sleep until their
 * answer comes or the leadership is handed to them; no one polls. A leader runs batches, in arrival order, only
 * until its own request is answered, then hands the leadership to the oldest waiting request and returns: no
 * caller waits behind work that came after it. The leader waits for more requests only while recent batches
 * held more than one image, and never beyond {@code maxWait}. At most {@code maxQueue} requests wait; beyond
 * that a request is refused at once ({@link Reason#OVERLOADED}). A request that waits longer than {@code timeout}
 * for its answer (a session run hangs) gives up with {@link Reason#OVERLOADED}; a leader waits on its own run.
 */
final class DynamicBatcher implements AutoCloseable {

    /** Runs a batch: pixels of {@code count} images in, their probabilities out, and the model that answered. */
    interface Runner {
        Output run(float[] pixels, int count);
    }

    record Output(String modelId, float[] probabilities) {
    }

    private record Pending(float[] pixels, int count, long enqueued, Thread waiter, CompletableFuture<Output> result) {

        void complete(Output output) {
            result.complete(output);
            LockSupport.unpark(waiter);
        }

        void fail(Throwable e) {
            result.completeExceptionally(e);
            LockSupport.unpark(waiter);
        }
    }

    private final BlockingQueue<Pending> queue;
    private final ReentrantLock leader = new ReentrantLock();
    private final Runner runner;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final long idleNanos;
    private final int maxQueue;
    private final long timeoutNanos;
    private volatile boolean closed;
    private volatile Pending carried;
    private double recentBatchSize = 1;

    /** The idle bound is a quarter of {@code maxWaitNanos}. */
    DynamicBatcher(Runner runner, int maxBatch, long maxWaitNanos, int maxQueue, long timeoutNanos) {
        this(runner, maxBatch, maxWaitNanos, maxWaitNanos / 4, maxQueue, timeoutNanos);
    }

    DynamicBatcher(Runner runner, int maxBatch, long maxWaitNanos, long idleNanos, int maxQueue, long timeoutNanos) {
        this.runner = runner;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWaitNanos;
        this.idleNanos = idleNanos;
        this.maxQueue = maxQueue;
        this.timeoutNanos = timeoutNanos;
        this.queue = new LinkedBlockingQueue<>(maxQueue);
    }

    /** Predicts {@code count} images, in a batch with whatever other requests are waiting. */
    Output call(float[] pixels, int count) throws InterruptedException {
        if (closed) {
            throw shuttingDown();
        }
        Pending own = new Pending(pixels, count, System.nanoTime(), Thread.currentThread(), new CompletableFuture<>());
        if (!queue.offer(own)) {
            throw new PredictionRejectedException(Reason.OVERLOADED, ("%d prediction requests are already waiting for "
                    + "this model (mnist.inference.batching.max-queue); try again in a moment").formatted(maxQueue));
        }
        boolean interrupted = false;
        while (!own.result().isDone()) {
            if (leader.tryLock()) {
                try {
                    while (!own.result().isDone() && hasWork()) {
                        runBatch();
                    }
                } finally {
                    leader.unlock();
                }
                handOff();
            } else {
                long left = own.enqueued() + timeoutNanos - System.nanoTime();
                if (left <= 0) {
                    giveUp(own);
                }
                LockSupport.parkNanos(this, left); // until answered, handed the lead, interrupted or out of time
                if (Thread.interrupted()) {
                    if (queue.remove(own)) {
                        handOff();
                        throw new InterruptedException("interrupted while waiting for a prediction");
                    }
                    interrupted = true; // already in a batch: its answer is coming
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return Futures.join(own.result()); // done: the join does not wait
    }

    /** Out of time: taken from the queue, or left to a batch under way, whose late answer no one reads. */
    private void giveUp(Pending own) {
        if (own.result().isDone()) {
            return;
        }
        if (queue.remove(own)) {
            handOff();
        }
        throw new PredictionRejectedException(Reason.OVERLOADED, ("this model has not answered within %d ms "
                + "(mnist.inference.batching.timeout): a prediction before this one is still running; try again in a "
                + "moment").formatted(TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
    }

    /** Wakes the oldest waiting request to lead, whenever a leader lets go: no request is left waiting unled. */
    private void handOff() {
        Pending next = carried != null ? carried : queue.peek();
        if (next != null) {
            LockSupport.unpark(next.waiter());
        }
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
                long left = Math.min(deadline - System.nanoTime(), idleNanos);
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
                p.complete(new Output(output.modelId(), own));
            }
        } catch (RuntimeException | Error e) {
            batch.forEach(p -> p.fail(e));
        }
    }


    static PredictionRejectedException shuttingDown() {
        return new PredictionRejectedException(Reason.OVERLOADED, "this replica is shutting down; send the request again "
                + "(to another replica, or to this service once it has restarted)");
    }

    @Override
    public void close() {
        closed = true;
        Pending p;
        while ((p = queue.poll()) != null) {
            p.fail(shuttingDown());
        }
        Pending last = carried;
        if (last != null) {
            last.fail(shuttingDown());
        }
    }
}
