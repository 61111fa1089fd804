package io.deepmnist.jobs;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Fans each job's events out to its subscribers. Publishing only queues: every subscriber is served on a
 * delivery thread, so a slow or vanished client never holds up training. A subscriber that falls more than
 * {@link #MAX_BACKLOG} events behind is dropped; it can reconnect with Last-Event-ID.
 */
@Component
public class EventHub implements SmartLifecycle, DisposableBean {

    static final int MAX_BACKLOG = 10_000;

    private final Map<String, Set<EventSubscription>> byJob = new ConcurrentHashMap<>();
    private final ExecutorService delivery;
    private final ScheduledExecutorService heartbeats;
    private volatile boolean running;

    EventHub(JobsProperties properties) {
        AtomicInteger n = new AtomicInteger();
        this.delivery = Executors.newCachedThreadPool(r -> daemon(r, "sse-delivery-" + n.incrementAndGet()));
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "sse-heartbeat"));
        long every = properties.heartbeat().toMillis();
        heartbeats.scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Subscribes to a job's events after {@code afterSeq}: first {@code history} (read after this call
     * registered, so nothing published meanwhile is missed), then live events, each exactly once, in order.
     * A subscription to a job that had already {@code finished} ends after the history.
     *
     * @return closes the subscription
     */
    public Runnable subscribe(String jobId, long afterSeq, boolean finished, EventSubscriber subscriber,
                              Supplier<List<JobEvent>> history) {
        EventSubscription s = new EventSubscription(jobId, subscriber, afterSeq, delivery, this::remove);
        byJob.compute(jobId, (job, subs) -> {
            Set<EventSubscription> set = subs != null ? subs : ConcurrentHashMap.newKeySet();
            set.add(s);
            return set;
        });
        s.replay(history.get(), finished);
        return s::close;
    }

    void publish(JobEvent event) {
        Set<EventSubscription> subs = byJob.get(event.jobId());
        if (subs != null) {
            subs.forEach(s -> s.offer(event));
        }
    }

    /** Ends every open stream, for shutdown. */
    public void completeAll() {
        byJob.values().forEach(subs -> subs.forEach(EventSubscription::close));
    }

    /** The jobs that have at least one subscriber in this process. */
    Set<String> subscribedJobs() {
        Set<String> jobs = new java.util.HashSet<>();
        byJob.forEach((job, subs) -> {
            if (!subs.isEmpty()) {
                jobs.add(job);
            }
        });
        return jobs;
    }

    boolean hasSubscribers(String jobId) {
        return subscriberCount(jobId) > 0;
    }

    int subscriberCount(String jobId) {
        Set<EventSubscription> subs = byJob.get(jobId);
        return subs == null ? 0 : subs.size();
    }

    private void remove(EventSubscription subscription) {
        byJob.computeIfPresent(subscription.jobId(), (job, subs) -> {
            subs.remove(subscription);
            return subs.isEmpty() ? null : subs;
        });
    }

    private void heartbeat() {
        byJob.values().forEach(subs -> subs.forEach(EventSubscription::heartbeat));
    }

    @Override
    public void start() {
        running = true;
    }

    /** After the training workers have stopped and before the web server drains: open streams end cleanly. */
    @Override
    public void stop() {
        running = false;
        completeAll();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 512;
    }

    @Override
    public void destroy() {
        completeAll();
        heartbeats.shutdownNow();
        delivery.shutdown();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
