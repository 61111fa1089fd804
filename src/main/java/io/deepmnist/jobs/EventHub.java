package io.deepmnist.jobs;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    private static final Logger log = LoggerFactory.getLogger(EventHub.class);
    static final int MAX_BACKLOG = 10_000;
    private static final Object HEARTBEAT = new Object();

    private final Map<String, Set<Subscription>> byJob = new ConcurrentHashMap<>();
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
        Subscription s = new Subscription(jobId, subscriber, afterSeq);
        byJob.computeIfAbsent(jobId, k -> ConcurrentHashMap.newKeySet()).add(s);
        s.replay(history.get(), finished);
        return s::close;
    }

    void publish(JobEvent event) {
        Set<Subscription> subs = byJob.get(event.jobId());
        if (subs != null) {
            subs.forEach(s -> s.offer(event));
        }
    }

    /** Ends every open stream, for shutdown. */
    public void completeAll() {
        byJob.values().forEach(subs -> subs.forEach(Subscription::close));
    }

    int subscriberCount(String jobId) {
        Set<Subscription> subs = byJob.get(jobId);
        return subs == null ? 0 : subs.size();
    }

    private void heartbeat() {
        byJob.values().forEach(subs -> subs.forEach(s -> s.enqueue(HEARTBEAT)));
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

    private final class Subscription {
        private final String jobId;
        private final EventSubscriber subscriber;
        private final Queue<Object> backlog = new ArrayDeque<>();
        private long lastSeq;
        private boolean replayed;
        private boolean draining;
        private boolean closed;

        Subscription(String jobId, EventSubscriber subscriber, long afterSeq) {
            this.jobId = jobId;
            this.subscriber = subscriber;
            this.lastSeq = afterSeq;
        }

        synchronized void replay(List<JobEvent> history, boolean finished) {
            Queue<Object> live = new ArrayDeque<>(backlog);
            backlog.clear();
            history.forEach(this::accept);
            live.forEach(o -> accept((JobEvent) o));
            replayed = true;
            closed |= finished;
            schedule();
        }

        synchronized void offer(JobEvent event) {
            if (!replayed) {
                backlog.add(event);
            } else {
                accept(event);
                schedule();
            }
        }

        synchronized void enqueue(Object item) {
            if (replayed && !closed) {
                backlog.add(item);
                schedule();
            }
        }

        private void accept(JobEvent event) {
            if (event.seq() > lastSeq && !closed) {
                lastSeq = event.seq();
                backlog.add(event);
                if (backlog.size() > MAX_BACKLOG) {
                    log.warn("Dropping a subscriber of job {} that is {} events behind", jobId, backlog.size());
                    backlog.clear();
                    closed = true;
                }
            }
        }

        private void schedule() {
            if (!draining) {
                draining = true;
                delivery.execute(this::drain);
            }
        }

        private void drain() {
            while (true) {
                Object item;
                boolean finish;
                synchronized (this) {
                    item = backlog.poll();
                    finish = item == null && closed;
                    if (item == null && !closed) {
                        draining = false;
                        return;
                    }
                }
                if (finish) {
                    end();
                    return;
                }
                try {
                    if (item == HEARTBEAT) {
                        subscriber.onHeartbeat();
                    } else {
                        JobEvent event = (JobEvent) item;
                        subscriber.onEvent(event);
                        if (event.terminal() && isLatest(event)) {
                            close();
                        }
                    }
                } catch (Exception e) {
                    log.debug("Subscriber of job {} went away: {}", jobId, e.toString());
                    synchronized (this) {
                        backlog.clear();
                        closed = true;
                    }
                }
            }
        }

        /** A final state in the history that later events follow (the job was resumed) does not end the stream. */
        private synchronized boolean isLatest(JobEvent event) {
            return event.seq() >= lastSeq;
        }

        synchronized void close() {
            closed = true;
            schedule();
        }

        private void end() {
            Set<Subscription> subs = byJob.get(jobId);
            if (subs != null) {
                subs.remove(this);
            }
            subscriber.onComplete();
        }
    }
}
