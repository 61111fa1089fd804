package io.deepmnist.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventHubTests {

    private final EventHub hub = new EventHub(new JobsProperties(16, Duration.ofSeconds(30), 3, Duration.ofMillis(50), Duration.ofSeconds(5),
            Duration.ofSeconds(30), Duration.ofSeconds(1), "test", 3, 5));

    @AfterEach
    void close() {
        hub.destroy();
    }

    private static JobEvent event(long seq) {
        return new JobEvent("j", seq, JobEvent.PROGRESS, "{\"step\":" + seq + "}", false, Instant.EPOCH);
    }

    private static JobEvent terminal(long seq) {
        return new JobEvent("j", seq, JobEvent.STATE, "{\"state\":\"SUCCEEDED\"}", true, Instant.EPOCH);
    }

    static class Recorder implements EventSubscriber {
        final List<Long> seqs = new CopyOnWriteArrayList<>();
        final AtomicInteger heartbeats = new AtomicInteger();
        final AtomicBoolean completed = new AtomicBoolean();

        @Override
        public void onEvent(JobEvent event) throws Exception {
            seqs.add(event.seq());
        }

        @Override
        public void onHeartbeat() {
            heartbeats.incrementAndGet();
        }

        @Override
        public void onComplete() {
            completed.set(true);
        }
    }

    @Test
    void historyThenLiveEventsEachExactlyOnceInOrder() {
        Recorder recorder = new Recorder();
        hub.subscribe("j", 2, false, recorder, () -> {
            hub.publish(event(6)); // published while the history is being read
            return List.of(event(3), event(4), event(5), event(6));
        });
        hub.publish(event(6));
        hub.publish(event(7));
        hub.publish(terminal(8));

        await().atMost(Duration.ofSeconds(5)).untilTrue(recorder.completed);
        assertThat(recorder.seqs).containsExactly(3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(hub.subscriberCount("j")).isZero();
    }

    @Test
    void anEarlierFinalStateInTheHistoryDoesNotEndTheStream() {
        Recorder recorder = new Recorder();
        hub.subscribe("j", 0, false, recorder, () -> List.of(event(1), terminal(2), event(3)));
        hub.publish(event(4));
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.seqs.size() == 4);
        assertThat(recorder.completed).isFalse();
        hub.publish(terminal(5));
        await().atMost(Duration.ofSeconds(5)).untilTrue(recorder.completed);
        assertThat(recorder.seqs).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aFinishedJobsStreamEndsAfterItsHistory() {
        Recorder recorder = new Recorder();
        hub.subscribe("j", 8, true, recorder, List::of);
        await().atMost(Duration.ofSeconds(5)).untilTrue(recorder.completed);
        assertThat(recorder.seqs).isEmpty();
    }

    @Test
    void idleStreamsGetHeartbeats() {
        Recorder recorder = new Recorder();
        hub.subscribe("j", 0, false, recorder, List::of);
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.heartbeats.get() >= 2);
    }

    @Test
    void aStuckSubscriberNeitherBlocksPublishingNorOtherSubscribers() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        EventSubscriber stuck = new Recorder() {
            @Override
            public void onEvent(JobEvent event) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Recorder healthy = new Recorder();
        hub.subscribe("j", 0, false, stuck, List::of);
        hub.subscribe("j", 0, false, healthy, List::of);

        long start = System.nanoTime();
        for (int seq = 1; seq <= EventHub.MAX_BACKLOG + 10; seq++) {
            hub.publish(event(seq));
        }
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        await().atMost(Duration.ofSeconds(10)).until(() -> healthy.seqs.size() == EventHub.MAX_BACKLOG + 10);
        assertThat(elapsedMs).as("publishing only queues").isLessThan(5_000);
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.subscriberCount("j") == 1);
    }

    @Test
    void aSubscriberThatFailsIsDropped() {
        Recorder gone = new Recorder() {
            @Override
            public void onEvent(JobEvent event) throws java.io.IOException {
                throw new java.io.IOException("Broken pipe");
            }
        };
        hub.subscribe("j", 0, false, gone, List::of);
        hub.publish(event(1));
        await().atMost(Duration.ofSeconds(5)).untilTrue(gone.completed);
        assertThat(hub.subscriberCount("j")).isZero();
    }

    @Test
    void streamsAreBoundedPerJobAndInAllAndAClosedOneFreesItsPlace() {
        List<Runnable> open = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            open.add(hub.subscribe("a", 0, false, new Recorder(), List::of));
        }
        assertThatThrownBy(() -> hub.subscribe("a", 0, false, new Recorder(), List::of))
                .isInstanceOf(TooManySubscribersException.class).hasMessageContaining("max-subscribers-per-job");
        assertThatThrownBy(() -> hub.checkRoom("a")).as("refused before the job is read from the store")
                .isInstanceOf(TooManySubscribersException.class).hasMessageContaining("max-subscribers-per-job");
        hub.checkRoom("b");
        open.add(hub.subscribe("b", 0, false, new Recorder(), List::of));
        open.add(hub.subscribe("b", 0, false, new Recorder(), List::of));
        assertThatThrownBy(() -> hub.subscribe("c", 0, false, new Recorder(), List::of))
                .isInstanceOf(TooManySubscribersException.class).hasMessageContaining("mnist.jobs.max-subscribers)");
        assertThatThrownBy(() -> hub.checkRoom("c")).isInstanceOf(TooManySubscribersException.class)
                .hasMessageContaining("mnist.jobs.max-subscribers)");
        assertThat(hub.totalSubscribers()).isEqualTo(5);

        open.get(0).run();
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.totalSubscribers() == 4);
        open.add(hub.subscribe("c", 0, false, new Recorder(), List::of));
        assertThat(hub.subscriberCount("a")).isEqualTo(2);
        assertThat(hub.totalSubscribers()).isEqualTo(5);
    }
}
