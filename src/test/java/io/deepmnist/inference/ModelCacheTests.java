package io.deepmnist.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.deepmnist.engine.EngineSettings;
import io.deepmnist.engine.Precision;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The cache of loaded SavedModels: eviction never takes the model being leased, and loads do not stall others. */
class ModelCacheTests {

    private static final EngineSettings SETTINGS = EngineSettings.defaults();

    private static ModelEntry softmax(String id) {
        return TrainedModels.softmaxEntry(id, Precision.FP32);
    }

    @Test
    void withRoomForOneModelASecondModelBesideThePinnedDefaultIsLeasedAndAnswers() {
        ModelCache cache = new ModelCache(1, SETTINGS, null, true, Duration.ofMinutes(1));
        ModelEntry first = softmax("first");
        ModelEntry second = softmax("second");
        try {
            cache.lease(first, "first").close();
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                try (ModelLease lease = cache.lease(second, "first")) {
                    assertThat(lease.modelId()).isEqualTo("second");
                    assertThat(lease.probabilities(new float[784], 1)).hasSize(10);
                }
                try (ModelLease again = cache.lease(first, "first")) {
                    assertThat(again.modelId()).isEqualTo("first");
                }
            }, "leasing a second model with cache-size 1 must not loop");
        } finally {
            cache.clear();
        }
    }

    @Test
    void aSlowLoadHoldsUpOnlyTheRequestsForThatModel() throws Exception {
        CountDownLatch slowLoadStarted = new CountDownLatch(1);
        CountDownLatch finishSlowLoad = new CountDownLatch(1);
        AtomicInteger slowLoads = new AtomicInteger();
        ModelCache cache = new ModelCache(4, entry -> {
            if (entry.id().equals("slow")) {
                slowLoads.incrementAndGet();
                slowLoadStarted.countDown();
                await(finishSlowLoad);
            }
            return LoadedModel.load(entry, SETTINGS);
        }, Duration.ofMinutes(1));
        ModelEntry fast = softmax("fast");
        ModelEntry slow = softmax("slow");
        try {
            cache.lease(fast, "fast").close();
            CompletableFuture<ModelLease> slowLease = CompletableFuture.supplyAsync(() -> cache.lease(slow, "fast"));
            assertThat(slowLoadStarted.await(20, TimeUnit.SECONDS)).isTrue();

            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> cache.lease(fast, "fast").close(),
                    "a loaded model answers while another one loads");
            CompletableFuture<ModelLease> waiting = CompletableFuture.supplyAsync(() -> cache.lease(slow, "fast"));
            assertThat(waiting).isNotDone();

            finishSlowLoad.countDown();
            slowLease.get(20, TimeUnit.SECONDS).close();
            waiting.get(20, TimeUnit.SECONDS).close();
            assertThat(slowLoads).as("one load for both requests").hasValue(1);
        } finally {
            finishSlowLoad.countDown();
            cache.clear();
        }
    }

    /** A load that hangs holds the request that loads, and the others for load-timeout at most: then 503. */
    @Test
    void theRequestsBehindAHungLoadAreRefusedAfterTheLoadTimeout() throws Exception {
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch finishLoad = new CountDownLatch(1);
        ModelCache cache = new ModelCache(4, entry -> {
            loading.countDown();
            await(finishLoad);
            return LoadedModel.load(entry, SETTINGS);
        }, Duration.ofMillis(300));
        ModelEntry model = softmax("hung");
        try {
            CompletableFuture<ModelLease> loader = CompletableFuture.supplyAsync(() -> cache.lease(model, "hung"));
            assertThat(loading.await(20, TimeUnit.SECONDS)).isTrue();
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThat(
                    org.assertj.core.api.Assertions.catchThrowable(() -> cache.lease(model, "hung")))
                    .isInstanceOfSatisfying(PredictionRejectedException.class, e -> {
                        assertThat(e.reason()).isEqualTo(PredictionRejectedException.Reason.OVERLOADED);
                        assertThat(e.getMessage()).contains("still loading", "mnist.inference.load-timeout");
                    }));
            finishLoad.countDown();
            loader.get(20, TimeUnit.SECONDS).close();
            cache.lease(model, "hung").close();
        } finally {
            finishLoad.countDown();
            cache.clear();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
