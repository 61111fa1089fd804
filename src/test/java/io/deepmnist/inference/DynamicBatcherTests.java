package io.deepmnist.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.dataset.MnistFile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DynamicBatcherTests {

    /** A stand-in model: the probability of class 0 is the image's first pixel, so answers can be traced. */
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private final List<Long> runStarts = new CopyOnWriteArrayList<>();

    private DynamicBatcher.Output fakeRun(float[] pixels, int count) {
        runStarts.add(System.nanoTime());
        batchSizes.add(count);
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

    @Test
    void everyRequestGetsItsOwnRowsBack() throws Exception {
        try (DynamicBatcher batcher = new DynamicBatcher("t", this::fakeRun, 32, TimeUnit.MILLISECONDS.toNanos(5))) {
            List<CompletableFuture<DynamicBatcher.Output>> results = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                Thread worker = new Thread(() -> {
                    for (int i = 0; i < 50; i++) {
                        float marker = thread * 1000 + i;
                        synchronized (results) {
                            results.add(batcher.submit(image(marker), 1).thenApply(o -> {
                                assertThat(o.probabilities()[0]).isEqualTo(marker);
                                return o;
                            }));
                        }
                    }
                });
                worker.start();
                threads.add(worker);
            }
            for (Thread thread : threads) {
                thread.join();
            }
            for (CompletableFuture<DynamicBatcher.Output> result : results) {
                assertThat(result.get(10, TimeUnit.SECONDS).probabilities()).hasSize(10);
            }
            assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(400);
            assertThat(batchSizes).allMatch(size -> size <= 32);
        }
    }

    @Test
    void aLoneRequestWaitsNoLongerThanTheBound() throws Exception {
        long maxWait = TimeUnit.MILLISECONDS.toNanos(50);
        try (DynamicBatcher batcher = new DynamicBatcher("t", this::fakeRun, 32, maxWait)) {
            long submitted = System.nanoTime();
            batcher.submit(image(7), 1).get(10, TimeUnit.SECONDS);
            long waited = runStarts.get(0) - submitted;
            assertThat(Duration.ofNanos(waited)).isLessThan(Duration.ofMillis(50 + 250));
        }
    }

    @Test
    void aFullBatchRunsWithoutWaitingForTheBound() throws Exception {
        try (DynamicBatcher batcher = new DynamicBatcher("t", this::fakeRun, 4, TimeUnit.SECONDS.toNanos(30))) {
            List<CompletableFuture<DynamicBatcher.Output>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(batcher.submit(image(i), 1));
            }
            for (CompletableFuture<DynamicBatcher.Output> result : results) {
                result.get(10, TimeUnit.SECONDS);
            }
            assertThat(batchSizes).containsExactly(4);
        }
    }

    @Test
    void multiImageRequestsStayTogetherAndABatchNeverOverflows() throws Exception {
        try (DynamicBatcher batcher = new DynamicBatcher("t", this::fakeRun, 5, TimeUnit.MILLISECONDS.toNanos(20))) {
            CompletableFuture<DynamicBatcher.Output> three = batcher.submit(new float[3 * MnistFile.PIXELS], 3);
            CompletableFuture<DynamicBatcher.Output> four = batcher.submit(new float[4 * MnistFile.PIXELS], 4);
            assertThat(three.get(10, TimeUnit.SECONDS).probabilities()).hasSize(30);
            assertThat(four.get(10, TimeUnit.SECONDS).probabilities()).hasSize(40);
            assertThat(batchSizes).containsExactly(3, 4);
        }
    }
}
