package io.deepmnist.jobs;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of a job's events: the history first, then live events, each once and in order, delivered on the
 * hub's delivery threads so that the publisher never waits for the client.
 */
final class EventSubscription {

    private static final Logger log = LoggerFactory.getLogger(EventSubscription.class);
    private static final Object HEARTBEAT = new Object();

    private final String jobId;
    private final EventSubscriber subscriber;
    private final Executor delivery;
    private final Consumer<EventSubscription> onEnd;
    private final Queue<Object> backlog = new ArrayDeque<>();
    private long lastSeq;
    private boolean replayed;
    private boolean draining;
    private boolean closed;

    EventSubscription(String jobId, EventSubscriber subscriber, long afterSeq, Executor delivery,
                      Consumer<EventSubscription> onEnd) {
        this.jobId = jobId;
        this.subscriber = subscriber;
        this.lastSeq = afterSeq;
        this.delivery = delivery;
        this.onEnd = onEnd;
    }

    String jobId() {
        return jobId;
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

    /** A comment line that keeps an idle stream open, queued behind the events. */
    synchronized void heartbeat() {
        if (replayed && !closed) {
            backlog.add(HEARTBEAT);
            schedule();
        }
    }

    private void accept(JobEvent event) {
        if (event.seq() > lastSeq && !closed) {
            lastSeq = event.seq();
            backlog.add(event);
            if (backlog.size() > EventHub.MAX_BACKLOG) {
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
        onEnd.accept(this);
        subscriber.onComplete();
    }
}
