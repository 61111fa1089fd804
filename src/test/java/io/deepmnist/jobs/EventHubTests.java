package io.deepmnist.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventHubTests {

    private final EventHub hub = new EventHub(new JobsProperties(16, Duration.ofSeconds(30), 3, Duration.ofMillis(50), Duration.ofSeconds(5),
            Duration.ofSeconds(30), Duration.ofSeconds(1), "test", 3, 5, Duration.ofMillis(500)));

    /** The job's stored events, as the event log keeps them; {@link #append} stores, then publishes. */
    private final List<JobEvent> stored = new CopyOnWriteArrayList<>();
    private final AtomicInteger largestRead = new AtomicInteger();
    private final EventHub.History history = (seq, limit) -> {
        largestRead.accumulateAndGet(limit, Math::max);
        return stored.stream().filter(e -> e.seq() > seq).limit(limit).toList();
    };

    private void append(JobEvent event) {
        stored.add(event);
        hub.publish(event);
    }

    private void storeOnly(long from, long to) {
        for (long seq = from; seq <= to; seq++) {
            stored.add(event(seq));
        }
    }

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
        storeOnly(1, 6);
        hub.subscribe("j", 2, false, recorder, history);
        hub.publish(event(6)); // heard twice: stored before the subscription, relayed after
        append(event(7));
        append(terminal(8));

        await().atMost(Duration.ofSeconds(5)).untilTrue(recorder.completed);
        assertThat(recorder.seqs).containsExactly(3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(hub.subscriberCount("j")).isZero();
    }

    @Test
    void anEarlierFinalStateInTheHistoryDoesNotEndTheStream() {
        Recorder recorder = new Recorder();
        stored.addAll(List.of(event(1), terminal(2), event(3)));
        hub.subscribe("j", 0, false, recorder, history);
        append(event(4));
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.seqs.size() == 4);
        assertThat(recorder.completed).isFalse();
        append(terminal(5));
        await().atMost(Duration.ofSeconds(5)).untilTrue(recorder.completed);
        assertThat(recorder.seqs).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aFinishedJobsStreamEndsAfterItsHistory() {
        Recorder recorder = new Recorder();
        hub.subscribe("j", 8, true, recorder, history);
        await().atMost(Duration.ofSeconds(5)).untilTrue(recorder.completed);
        assertThat(recorder.seqs).isEmpty();
    }

    @Test
    void idleStreamsGetHeartbeats() {
        Recorder recorder = new Recorder();
        hub.subscribe("j", 0, false, recorder, history);
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.heartbeats.get() >= 2);
    }

    /**
     * 20,000 stored events (logEvery 1 and 20,000 steps) and more arriving: a subscriber from the start gets them
     * all, once each, in order, reading the store a page at a time. Replay once read the whole history into memory
     * and then dropped the subscriber for being more than 10,000 events behind, on every reconnection.
     */
    @Test
    void aLongHistoryIsFollowedFromTheStartInPages() {
        storeOnly(1, 20_000);
        Recorder recorder = new Recorder();
        hub.subscribe("j", 0, false, recorder, history);
        for (long seq = 20_001; seq <= 22_000; seq++) {
            append(event(seq));
        }
        append(terminal(22_001));
        await().atMost(Duration.ofSeconds(30)).untilTrue(recorder.completed);
        assertThat(recorder.seqs).hasSize(22_001);
        for (int i = 0; i < recorder.seqs.size(); i++) {
            assertThat(recorder.seqs.get(i)).isEqualTo(i + 1L);
        }
        assertThat(largestRead.get()).as("events read from the store at once").isEqualTo(EventHub.PAGE);
    }

    /** A subscriber whose history read fails (the store is away) ends, and its place is free again. */
    @Test
    void aHistoryThatCannotBeReadEndsTheStreamAndFreesItsPlace() {
        EventHub.History away = (seq, limit) -> {
            throw new IllegalStateException("the store is away");
        };
        for (int i = 0; i < 20; i++) {
            Recorder recorder = new Recorder();
            hub.subscribe("j", 0, false, recorder, away);
            append(event(i + 1));
            await().atMost(Duration.ofSeconds(5)).untilTrue(recorder.completed);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.totalSubscribers() == 0);
        assertThat(hub.subscriberCount("j")).isZero();
        Recorder recorder = new Recorder();
        hub.subscribe("j", 0, false, recorder, history);
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.seqs.size() == 20);
    }

    /**
     * A subscriber that stops reading holds up neither publishing nor the others; its queue stays bounded, and once
     * it reads again it gets every event it missed, from the store.
     */
    @Test
    void aStuckSubscriberNeitherBlocksPublishingNorOtherSubscribers() {
        CountDownLatch release = new CountDownLatch(1);
        Recorder stuck = new Recorder() {
            @Override
            public void onEvent(JobEvent event) throws Exception {
                release.await();
                super.onEvent(event);
            }
        };
        Recorder healthy = new Recorder();
        hub.subscribe("j", 0, false, stuck, history);
        hub.subscribe("j", 0, false, healthy, history);
        await().atMost(Duration.ofSeconds(5)).until(() -> healthy.heartbeats.get() > 0);

        int events = EventHub.MAX_BACKLOG * 3;
        for (int seq = 1; seq <= events; seq++) {
            append(event(seq));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> healthy.seqs.size() == events);
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> stuck.seqs.size() == events);
        assertThat(stuck.seqs).isEqualTo(healthy.seqs);
        assertThat(hub.subscriberCount("j")).isEqualTo(2);
    }

    @Test
    void aSubscriberThatFailsIsDropped() {
        Recorder gone = new Recorder() {
            @Override
            public void onEvent(JobEvent event) throws java.io.IOException {
                throw new java.io.IOException("Broken pipe");
            }
        };
        hub.subscribe("j", 0, false, gone, history);
        append(event(1));
        await().atMost(Duration.ofSeconds(5)).untilTrue(gone.completed);
        assertThat(hub.subscriberCount("j")).isZero();
    }

    @Test
    void streamsAreBoundedPerJobAndInAllAndAClosedOneFreesItsPlace() {
        List<Runnable> open = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            open.add(hub.subscribe("a", 0, false, new Recorder(), history));
        }
        assertThatThrownBy(() -> hub.subscribe("a", 0, false, new Recorder(), history))
                .isInstanceOf(TooManySubscribersException.class).hasMessageContaining("max-subscribers-per-job");
        assertThatThrownBy(() -> hub.checkRoom("a")).as("refused before the job is read from the store")
                .isInstanceOf(TooManySubscribersException.class).hasMessageContaining("max-subscribers-per-job");
        hub.checkRoom("b");
        open.add(hub.subscribe("b", 0, false, new Recorder(), history));
        open.add(hub.subscribe("b", 0, false, new Recorder(), history));
        assertThatThrownBy(() -> hub.subscribe("c", 0, false, new Recorder(), history))
                .isInstanceOf(TooManySubscribersException.class).hasMessageContaining("mnist.jobs.max-subscribers)");
        assertThatThrownBy(() -> hub.checkRoom("c")).isInstanceOf(TooManySubscribersException.class)
                .hasMessageContaining("mnist.jobs.max-subscribers)");
        assertThat(hub.totalSubscribers()).isEqualTo(5);

        open.get(0).run();
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.totalSubscribers() == 4);
        open.add(hub.subscribe("c", 0, false, new Recorder(), history));
        assertThat(hub.subscriberCount("a")).isEqualTo(2);
        assertThat(hub.totalSubscribers()).isEqualTo(5);
    }

    /**
     * Twenty clients that stop reading, more than there are delivery threads: a reading client still gets every event
     * at once, and each stalled one is disconnected after send-timeout, freeing its place. Sixteen such clients once
     * held every delivery thread, and every stream of the replica, until the server's idle timeout.
     */
    @Test
    void clientsThatStopReadingHoldUpOnlyThemselvesAndAreDisconnected() {
        EventHub hub = new EventHub(new JobsProperties(16, Duration.ofSeconds(30), 3, Duration.ofSeconds(30), Duration.ofSeconds(5),
                Duration.ofSeconds(30), Duration.ofSeconds(1), "test", 100, 100, Duration.ofMillis(500)));
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger aborted = new AtomicInteger();
        for (int i = 0; i < 20; i++) {
            Recorder client = new Recorder() {
                @Override
                public void onEvent(JobEvent event) throws Exception {
                    never.await(); // a full TCP window: the send blocks
                }

                @Override
                public void abort() {
                    aborted.incrementAndGet();
                }
            };
            JobEvent first = new JobEvent("s" + i, 1, JobEvent.PROGRESS, "{}", false, Instant.EPOCH);
            hub.subscribe("s" + i, 0, false, client, (seq, limit) -> seq < 1 ? List.of(first) : List.of());
        }
        Recorder reading = new Recorder();
        hub.subscribe("j", 0, false, reading, history);
        try {
            for (int seq = 1; seq <= 50; seq++) {
                stored.add(event(seq));
                hub.publish(event(seq));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> reading.seqs.size() == 50);
            await().atMost(Duration.ofSeconds(10)).until(() -> aborted.get() == 20);
            assertThat(hub.totalSubscribers()).isEqualTo(1);
            assertThat(hub.subscriberCount("j")).isEqualTo(1);
        } finally {
            never.countDown();
            hub.destroy();
        }
    }
}
