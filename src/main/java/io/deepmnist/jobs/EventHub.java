package io.deepmnist.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Fans each job's events out to its subscribers. Publishing only queues: subscribers are served on delivery threads,
 * so a slow or vanished client never holds up training, and a client that stops reading holds up only itself. A subscriber
 * reads the history from the store in pages of {@link #PAGE}, and one that falls more than {@link #MAX_BACKLOG} live
 * events behind goes back to the store (see {@link EventSubscription}). Open streams are bounded per job and in all
 * ({@code mnist.jobs.max-subscribers-per-job}, {@code max-subscribers}).
 */
@Component
public class EventHub implements SmartLifecycle, DisposableBean {

    static final int MAX_BACKLOG = 1_000;
    static final int PAGE = 500;

    static final int DELIVERY_THREADS = 16;
    private static final Duration RETRY_AFTER = Duration.ofSeconds(10);

    private final Map<String, Set<EventSubscription>> byJob = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final int maxPerJob;
    private final int maxTotal;
    private final long sendTimeoutNanos;
    private final ThreadPoolExecutor delivery;
    private final ScheduledExecutorService heartbeats;
    private volatile boolean running;

    EventHub(JobsProperties properties) {
        this.maxPerJob = properties.maxSubscribersPerJob();
        this.maxTotal = properties.maxSubscribers();
        this.sendTimeoutNanos = properties.sendTimeout().toNanos();
        AtomicInteger n = new AtomicInteger();
        // DELIVERY_THREADS serve every stream while clients read; a client that blocks its send holds one more thread,
        // never one that others need, until send-timeout disconnects it. At most one drain per subscription runs, and
        // subscriptions are bounded, so the threads are too.
        this.delivery = new ThreadPoolExecutor(DELIVERY_THREADS, Math.max(DELIVERY_THREADS, maxTotal + 1), 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> daemon(r, "sse-delivery-" + n.incrementAndGet()));
        delivery.allowCoreThreadTimeOut(true);
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "sse-heartbeat"));
        long every = properties.heartbeat().toMillis();
        heartbeats.scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
        long check = Math.max(10, Math.min(1000, properties.sendTimeout().toMillis() / 4));
        heartbeats.scheduleAtFixedRate(this::disconnectStalled, check, check, TimeUnit.MILLISECONDS);
    }

    /**
     * Refuses a stream at once when it would be over a limit, before the caller reads the job from the store:
     * a crowd of refused clients then costs no database round trips (which other requests, health included,
     * would queue behind). {@link #subscribe} checks again, exactly.
     */
    public void checkRoom(String jobId) {
        if (total.get() >= maxTotal) {
            throw totalLimit();
        }
        Set<EventSubscription> subs = byJob.get(jobId);
        if (subs != null && subs.size() >= maxPerJob) {
            throw perJobLimit(jobId);
        }
    }

    private TooManySubscribersException totalLimit() {
        return new TooManySubscribersException("This replica has %d open event streams, as many as it allows "
                .formatted(maxTotal) + "(mnist.jobs.max-subscribers); try again later", RETRY_AFTER);
    }

    private TooManySubscribersException perJobLimit(String jobId) {
        return new TooManySubscribersException("Job %s has %d open event streams, as many as it allows "
                .formatted(jobId, maxPerJob) + "(mnist.jobs.max-subscribers-per-job); try again later", RETRY_AFTER);
    }

    /** A job's stored events after a sequence number, in order, at most {@code limit} of them. */
    @FunctionalInterface
    public interface History {
        List<JobEvent> after(long seq, int limit);
    }

    /**
     * Subscribes to a job's events after {@code afterSeq}: the stored history, read a page at a time, then live
     * events, each exactly once, in order. A subscription to a job that had already {@code finished} ends after
     * the history. Where the history cannot be read, the stream ends, and the client resumes with Last-Event-ID.
     *
     * @return closes the subscription
     */
    public Runnable subscribe(String jobId, long afterSeq, boolean finished, EventSubscriber subscriber, History history) {
        EventSubscription s = new EventSubscription(jobId, subscriber, afterSeq, finished, history, delivery, this::remove);
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            throw totalLimit();
        }
        try {
            byJob.compute(jobId, (job, subs) -> {
                Set<EventSubscription> set = subs != null ? subs : ConcurrentHashMap.newKeySet();
                if (set.size() >= maxPerJob) {
                    throw perJobLimit(jobId);
                }
                set.add(s);
                return set;
            });
        } catch (TooManySubscribersException e) {
            total.decrementAndGet();
            throw e;
        }
        s.start();
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

    /** Open event streams on this replica, for every job. */
    int totalSubscribers() {
        return total.get();
    }

    private void remove(EventSubscription subscription) {
        byJob.computeIfPresent(subscription.jobId(), (job, subs) -> {
            if (subs.remove(subscription)) {
                total.decrementAndGet();
            }
            return subs.isEmpty() ? null : subs;
        });
    }

    private void disconnectStalled() {
        long now = System.nanoTime();
        byJob.values().forEach(subs -> subs.forEach(s -> s.abortIfStalled(now, sendTimeoutNanos)));
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
