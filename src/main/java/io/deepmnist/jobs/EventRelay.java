package io.deepmnist.jobs;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Brings the events that other replicas store to this replica's subscribers. On PostgreSQL every stored event is
 * announced with NOTIFY and heard here with LISTEN; since a notification is lost while the listening connection
 * is down, the jobs that have subscribers here are also read again every {@code mnist.jobs.poll}. Subscribers
 * drop what they already have, so an event heard twice is delivered once. On the embedded H2 store there is
 * one process and nothing to relay, so it does not run.
 */
@Component
class EventRelay implements SmartLifecycle {

    static final String CHANNEL = "job_events";
    private static final Logger log = LoggerFactory.getLogger(EventRelay.class);

    private final DataSource dataSource;
    private final StoreKind store;
    private final JobEventLog events;
    private final EventHub hub;
    private final JobsProperties properties;
    private final Map<String, Long> delivered = new ConcurrentHashMap<>();
    private volatile Thread listener;
    private volatile boolean running;

    EventRelay(DataSource dataSource, StoreKind store, JobEventLog events, EventHub hub, JobsProperties properties) {
        this.dataSource = dataSource;
        this.store = store;
        this.events = events;
        this.hub = hub;
        this.properties = properties;
    }

    @Override
    public void start() {
        if (!store.isPostgres()) {
            return;
        }
        running = true;
        listener = new Thread(this::relay, "event-relay");
        listener.setDaemon(true);
        listener.start();
    }

    private void relay() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                PGConnection postgres = connection.unwrap(PGConnection.class);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                catchUp(hub.subscribedJobs());
                long nextPoll = System.nanoTime() + properties.poll().toNanos();
                while (running) {
                    int wait = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextPoll - System.nanoTime()));
                    PGNotification[] heard = postgres.getNotifications(wait);
                    if (heard != null) {
                        for (PGNotification notification : heard) {
                            catchUp(notification.getParameter());
                        }
                    }
                    if (System.nanoTime() >= nextPoll) {
                        catchUp(hub.subscribedJobs());
                        nextPoll = System.nanoTime() + properties.poll().toNanos();
                    }
                }
            } catch (SQLException | DataAccessException e) {
                log.debug("Event relay lost its connection ({}); reconnecting", e.getMessage());
                pause();
            }
        }
    }

    private void catchUp(Set<String> jobIds) {
        delivered.keySet().retainAll(jobIds);
        jobIds.forEach(this::catchUp);
    }

    private void catchUp(String jobId) {
        if (!hub.hasSubscribers(jobId)) {
            return;
        }
        long after = delivered.getOrDefault(jobId, 0L);
        for (JobEvent event : events.after(jobId, after)) {
            hub.publish(event);
            delivered.merge(jobId, event.seq(), Math::max);
        }
    }

    private void pause() {
        try {
            Thread.sleep(properties.poll().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        running = false;
        Thread thread = listener;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
