package io.deepmnist.jobs;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of a job's events, each once and in order, delivered on the hub's delivery threads so that the
 * publisher never waits for the client. It starts by reading the history from the store a page at a time, and
 * follows live events once it has caught up. A client that falls more than {@link EventHub#MAX_BACKLOG} live events
 * behind loses its queue and reads from the store again, from its last delivered event: whatever the length of the
 * history or the speed of the client, it holds at most one page or one bounded queue. A client that does not read
 * at all is disconnected after {@code mnist.jobs.send-timeout} ({@link #abortIfStalled}).
 */
final class EventSubscription {

    private static final Logger log = LoggerFactory.getLogger(EventSubscription.class);
    private static final Object HEARTBEAT = new Object();

    private final String jobId;
    private final EventSubscriber subscriber;
    private final EventHub.History history;
    private final Executor delivery;
    private final Consumer<EventSubscription> onEnd;
    private final Queue<Object> backlog = new ArrayDeque<>();
    /** The last event handed to the subscriber. */
    private long sent;
    /** The last event queued for it, while live. */
    private long queued;
    /** The newest event published while it read the store: it is live only once it has read that far. */
    private long announced;
    private boolean sentTerminal;
    private final boolean finished;
    private boolean live;
    private boolean draining;
    private boolean closed;
    private boolean ended;
    /** When the call to the subscriber under way began (System.nanoTime()), or 0 between calls. */
    private volatile long sendingSince;

    EventSubscription(String jobId, EventSubscriber subscriber, long afterSeq, boolean finished, EventHub.History history,
                      Executor delivery, Consumer<EventSubscription> onEnd) {
        this.jobId = jobId;
        this.subscriber = subscriber;
        this.sent = afterSeq;
        this.finished = finished;
        this.history = history;
        this.delivery = delivery;
        this.onEnd = onEnd;
    }

    String jobId() {
        return jobId;
    }

    synchronized void start() {
        schedule();
    }

    synchronized void offer(JobEvent event) {
        if (closed) {
            return;
        }
        if (!live) {
            announced = Math.max(announced, event.seq());
            return; // the drain reads it from the store
        }
        if (event.seq() <= queued) {
            return;
        }
        queued = event.seq();
        backlog.add(event);
        if (backlog.size() > EventHub.MAX_BACKLOG) {
            log.info("A subscriber of job {} is {} events behind; it reads them from the store", jobId, backlog.size());
            backlog.clear();
            live = false;
            announced = queued;
        }
        schedule();
    }

    /** A comment line that keeps an idle stream open, queued behind the events. */
    synchronized void heartbeat() {
        if (live && !closed) {
            backlog.add(HEARTBEAT);
            schedule();
        }
    }

    /**
     * Disconnects a client that has been in one call for longer than {@code limitNanos}: a client that does not read.
     * Its place is freed at once, whether or not the blocked call ever returns.
     */
    boolean abortIfStalled(long now, long limitNanos) {
        long since = sendingSince;
        if (since == 0 || now - since < limitNanos) {
            return false;
        }
        synchronized (this) {
            if (closed) {
                return false;
            }
            closed = true;
            backlog.clear();
        }
        log.warn("Disconnecting a subscriber of job {} that has not taken an event for {} s (mnist.jobs.send-timeout): "
                + "it can reconnect with Last-Event-ID", jobId, (now - since) / 1_000_000_000L);
        onEnd.accept(this);
        subscriber.abort();
        return true;
    }

    synchronized void close() {
        closed = true;
        schedule();
    }

    private void schedule() {
        if (!draining) {
            draining = true;
            delivery.execute(this::drain);
        }
    }

    private void drain() {
        try {
            while (step()) {
                // one queued item or one page of the history at a time
            }
        } catch (Exception e) {
            log.debug("Subscriber of job {} went away or its history could not be read: {}", jobId, e.toString());
            synchronized (this) {
                backlog.clear();
                closed = true;
            }
        }
        boolean end;
        synchronized (this) {
            end = closed && !ended; // a closed subscription keeps draining set, so nothing schedules it again
            ended |= end;
        }
        if (end) {
            onEnd.accept(this);
            subscriber.onComplete();
        }
    }

    /** Delivers one queued item or one page from the store; false when there is nothing to do now. */
    private boolean step() throws Exception {
        Object item;
        long from;
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (live) {
                item = backlog.poll();
                if (item == null) {
                    draining = false;
                    return false;
                }
                from = 0;
            } else {
                item = null;
                from = sent;
            }
        }
        if (item == HEARTBEAT) {
            timed(subscriber::onHeartbeat);
        } else if (item != null) {
            deliver((JobEvent) item);
            synchronized (this) {
                closed |= live && sentTerminal && sent >= queued;
            }
        } else {
            List<JobEvent> page = history.after(from, EventHub.PAGE);
            for (JobEvent event : page) {
                deliver(event);
            }
            synchronized (this) {
                // An empty page ends the reading even where a newer event was announced: every event is stored
                // before it is published, so none can be missing, and reading again at once would only spin.
                if (page.isEmpty() || page.size() < EventHub.PAGE && announced <= sent) {
                    live = true;
                    queued = sent;
                    closed |= sentTerminal || finished;
                }
            }
        }
        return true;
    }

    private interface Send {
        void run() throws Exception;
    }

    /** One call to the subscriber, its start recorded for {@link #abortIfStalled}. */
    private void timed(Send send) throws Exception {
        sendingSince = System.nanoTime();
        try {
            send.run();
        } finally {
            sendingSince = 0;
        }
    }

    private void deliver(JobEvent event) throws Exception {
        synchronized (this) {
            if (event.seq() <= sent || closed) {
                return;
            }
        }
        timed(() -> subscriber.onEvent(event));
        synchronized (this) {
            sent = event.seq();
            // A final state that later events follow (the job was resumed) does not end the stream.
            sentTerminal = event.terminal();
        }
    }
}
