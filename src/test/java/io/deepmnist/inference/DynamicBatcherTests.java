package io.deepmnist.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.deepmnist.dataset.MnistFile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class DynamicBatcherTests {

    private static final long NO_TIMEOUT = TimeUnit.MINUTES.toNanos(10);

    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();

    /** A stand-in model: the probability of class 0 is the image's first pixel, so answers can be traced. */
    private DynamicBatcher.Output fakeRun(float[] pixels, int count) {
        batchSizes.add(count);
        try {
            Thread.sleep(2); // long enough for requests to pile up, as a real session run lets them
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        float[] out = new float[count * MnistFile.CLASSES];
        for (int i = 0; i < count; i++) {
            out[i * MnistFile.CLASSES] = pixels[i * MnistFile.PIXELS];
        }
        return new DynamicBatcher.Output("fake", out);
    }

    private static float[] image(float marker) {
        float[] pixels = new float[MnistFile.PIXELS];
        pixels[0] = marker;
        return pixels;
    }

    private void clients(DynamicBatcher batcher, int threads, int requestsEach) throws InterruptedException {
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                for (int i = 0; i < requestsEach; i++) {
                    float marker = thread * 1000 + i;
                    try {
                        float answer = batcher.call(image(marker), 1).probabilities()[0];
                        if (answer != marker) {
                            failures.add("asked " + marker + ", got " + answer);
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join(30_000);
        }
    }

    @Test
    void everyRequestGetsItsOwnRowsBackAndRequestsShareRuns() throws Exception {
        DynamicBatcher batcher = new DynamicBatcher(this::fakeRun, 32, TimeUnit.MILLISECONDS.toNanos(5), 1024, NO_TIMEOUT);
        clients(batcher, 16, 50);
        assertThat(failures).isEmpty();
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(800);
        assertThat(batchSizes).allMatch(size -> size <= 32).anyMatch(size -> size > 1);
    }

    @Test
    void aBatchNeverHoldsMoreThanTheMaximum() throws Exception {
        DynamicBatcher batcher = new DynamicBatcher(this::fakeRun, 4, TimeUnit.MILLISECONDS.toNanos(5), 1024, NO_TIMEOUT);
        clients(batcher, 12, 20);
        assertThat(failures).isEmpty();
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(240);
        assertThat(batchSizes).allMatch(size -> size <= 4);
    }

    @Test
    void noRequestWaitsLongerThanTheBoundForOthers() throws Exception {
        long maxWait = TimeUnit.MILLISECONDS.toNanos(50);
        DynamicBatcher batcher = new DynamicBatcher(this::fakeRun, 32, maxWait, 1024, NO_TIMEOUT);
        clients(batcher, 4, 10); // under load: the leader waits for more
        // A deadline that only catches a leader waiting for a full batch that never comes; the wait itself is
        // measured by bench predict, not timed here.
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> batcher.call(image(7), 1));
        assertThat(failures).isEmpty();
    }

    @Test
    void aBatchThatNoOneJoinsAnyMoreClosesLongBeforeTheWaitBound() throws Exception {
        long maxWait = TimeUnit.MINUTES.toNanos(10);
        DynamicBatcher batcher = new DynamicBatcher(this::fakeRun, 32, maxWait, TimeUnit.MILLISECONDS.toNanos(20), 1024, NO_TIMEOUT);
        // Four clients, each sending again when answered, as a load generator does: no batch can reach 32, and
        // each would otherwise wait ten minutes for the rest.
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> clients(batcher, 4, 25));
        assertThat(failures).isEmpty();
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
        assertThat(batchSizes).anyMatch(size -> size > 1);
    }

    @Test
    void multiImageRequestsStayTogether() throws Exception {
        DynamicBatcher batcher = new DynamicBatcher(this::fakeRun, 5, TimeUnit.MILLISECONDS.toNanos(20), 1024, NO_TIMEOUT);
        assertThat(batcher.call(new float[3 * MnistFile.PIXELS], 3).probabilities()).hasSize(30);
        assertThat(batcher.call(new float[4 * MnistFile.PIXELS], 4).probabilities()).hasSize(40);
        assertThat(batchSizes).containsExactly(3, 4);
    }

    @Test
    void aLeaderInterruptedWhileItGathersStillAnswersEveryRequestItTook() throws Exception {
        DynamicBatcher batcher = new DynamicBatcher(this::fakeRun, 16, TimeUnit.SECONDS.toNanos(30), 1024, NO_TIMEOUT);
        batcher.call(new float[8 * MnistFile.PIXELS], 8); // recent batches were large: a leader now waits for more

        java.util.concurrent.CompletableFuture<DynamicBatcher.Output> leaderAnswer = new java.util.concurrent.CompletableFuture<>();
        Thread leader = new Thread(() -> {
            try {
                leaderAnswer.complete(batcher.call(image(0.25f), 1));
            } catch (Throwable e) {
                leaderAnswer.completeExceptionally(e);
            }
        });
        leader.start();
        Thread.sleep(300); // the leader is gathering, up to 30 s
        java.util.concurrent.CompletableFuture<DynamicBatcher.Output> follower = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> {
                    try {
                        return batcher.call(image(0.75f), 1);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
        Thread.sleep(300); // the follower's request is in the leader's batch
        leader.interrupt();

        assertThat(follower.get(5, TimeUnit.SECONDS).probabilities()[0]).isEqualTo(0.75f);
        assertThat(leaderAnswer.get(5, TimeUnit.SECONDS).probabilities()[0]).isEqualTo(0.25f);
        assertThat(batchSizes).containsExactly(8, 2);
        leader.join(5000);
        batcher.close();
    }

    @Test
    @Timeout(60)
    void aLeaderRunsBatchesOnlyUntilItsOwnRequestIsAnswered() throws Exception {
        ThreadLocal<Float> inFlight = new ThreadLocal<>();
        java.util.Set<Float> answered = java.util.concurrent.ConcurrentHashMap.newKeySet();
        DynamicBatcher batcher = new DynamicBatcher((pixels, count) -> {
            Float mine = inFlight.get();
            if (mine == null || answered.contains(mine)) {
                failures.add("a batch ran on a thread whose own request was " + (mine == null ? "not in flight" : "answered"));
            }
            DynamicBatcher.Output output = fakeRun(pixels, count);
            for (int i = 0; i < count; i++) {
                answered.add(pixels[i * MnistFile.PIXELS]); // answered as soon as its batch has run
            }
            return output;
        }, 4, TimeUnit.MILLISECONDS.toNanos(1), 1024, NO_TIMEOUT);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                for (int i = 0; i < 30; i++) {
                    float marker = thread * 1000 + i;
                    inFlight.set(marker);
                    try {
                        if (batcher.call(image(marker), 1).probabilities()[0] != marker) {
                            failures.add("wrong answer for " + marker);
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                    inFlight.remove();
                }
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join(30_000);
        }
        assertThat(failures).isEmpty();
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(480);
    }

    @Test
    @Timeout(30)
    void aFullQueueRefusesAtOnceWithoutAHangAndTheQueuedAreStillAnswered() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        DynamicBatcher batcher = new DynamicBatcher((pixels, count) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return fakeRun(pixels, count);
        }, 8, TimeUnit.MILLISECONDS.toNanos(1), 4, NO_TIMEOUT);
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(5);
        try {
            List<java.util.concurrent.Future<Float>> answers = new ArrayList<>();
            for (int i = 0; i < 5; i++) { // one running (its runner blocked), then four waiting: the queue is full
                float marker = i + 1;
                answers.add(clients.submit(() -> batcher.call(image(marker), 1).probabilities()[0]));
                Thread.sleep(100);
            }
            // Refused, not queued: a call that waited would wait until release, which comes only after it.
            Throwable refusal = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> org.assertj.core.api.Assertions.catchThrowable(() -> batcher.call(image(99), 1)));
            assertThat(refusal).isInstanceOfSatisfying(PredictionRejectedException.class,
                    e -> assertThat(e.reason()).isEqualTo(PredictionRejectedException.Reason.OVERLOADED));
            release.countDown();
            for (int i = 0; i < 5; i++) {
                assertThat(answers.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i + 1f);
            }
        } finally {
            release.countDown();
            clients.shutdownNow();
        }
    }

    /** A session run that hangs holds its own request, and the others for batching.timeout at most: then 503. */
    @Test
    @Timeout(30)
    void theRequestsBehindAHungRunAreRefusedAfterTheTimeout() throws Exception {
        java.util.concurrent.CountDownLatch hung = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        DynamicBatcher batcher = new DynamicBatcher((pixels, count) -> {
            hung.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return fakeRun(pixels, count);
        }, 1, TimeUnit.MILLISECONDS.toNanos(1), 16, TimeUnit.MILLISECONDS.toNanos(300));
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.concurrent.Future<Float> leader = clients.submit(() -> batcher.call(image(1), 1).probabilities()[0]);
            assertThat(hung.await(10, TimeUnit.SECONDS)).isTrue();
            List<java.util.concurrent.Future<Float>> behind = new ArrayList<>();
            for (int i = 2; i <= 4; i++) {
                float marker = i;
                behind.add(clients.submit(() -> batcher.call(image(marker), 1).probabilities()[0]));
            }
            for (java.util.concurrent.Future<Float> waiting : behind) {
                assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> waiting.get(10, TimeUnit.SECONDS)))
                        .cause().isInstanceOfSatisfying(PredictionRejectedException.class, e -> {
                            assertThat(e.reason()).isEqualTo(PredictionRejectedException.Reason.OVERLOADED);
                            assertThat(e.getMessage()).contains("mnist.inference.batching.timeout");
                        });
            }
            release.countDown();
            assertThat(leader.get(10, TimeUnit.SECONDS)).isEqualTo(1f);
            assertThat(batcher.call(image(5), 1).probabilities()[0]).as("the batcher works on").isEqualTo(5f);
        } finally {
            release.countDown();
            clients.shutdownNow();
            batcher.close();
        }
    }
}
