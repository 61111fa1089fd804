package io.deepmnist.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What one replica tells the others through the store. On PostgreSQL a change is announced with NOTIFY and heard
 * with LISTEN on one connection that this class holds. A notification sent while that connection is down is
 * lost, so every channel also has a catch-up, run after each (re)connection and once per poll period. On the
 * embedded H2 store one process owns everything and there is nobody to tell: nothing is sent and nothing runs.
 */
@Component
public class StoreNotifications implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StoreNotifications.class);
    private static final Pattern CHANNEL_NAME = Pattern.compile("[a-z][a-z_]{0,62}");

    private final DataSource dataSource;
    private final StoreKind store;
    private final JdbcClient jdbc;
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();
    private volatile Thread listener;
    private volatile boolean running;

    private record Channel(String name, Duration poll, Consumer<String> heard, Runnable catchUp) {
    }

    StoreNotifications(DataSource dataSource, StoreKind store, JdbcClient jdbc) {
        this.dataSource = dataSource;
        this.store = store;
        this.jdbc = jdbc;
    }

    /**
     * Calls {@code heard} with the payload of each notification on {@code channel}, and {@code catchUp} after
     * every reconnection and every {@code poll}. Both run on the listening thread, so they must be short.
     * Register from a constructor: channels are listened to from the next start.
     */
    public void listen(String channel, Duration poll, Consumer<String> heard, Runnable catchUp) {
        if (!CHANNEL_NAME.matcher(channel).matches()) {
            throw new IllegalArgumentException("not a channel name: " + channel);
        }
        channels.put(channel, new Channel(channel, poll, heard, catchUp));
    }

    /** Tells the other replicas; delivered when the surrounding transaction, if any, commits. */
    public void announce(String channel, String payload) {
        if (store.isPostgres()) {
            jdbc.sql("SELECT pg_notify(?, ?)").params(channel, payload).query(Object.class).single();
        }
    }

    @Override
    public void start() {
        if (!store.isPostgres() || channels.isEmpty()) {
            return;
        }
        running = true;
        listener = new Thread(this::listen, "store-notifications");
        listener.setDaemon(true);
        listener.start();
    }

    private void listen() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                PGConnection postgres = connection.unwrap(PGConnection.class);
                try (Statement statement = connection.createStatement()) {
                    for (String channel : channels.keySet()) {
                        statement.execute("LISTEN " + channel);
                    }
                }
                Map<Channel, Long> due = new HashMap<>();
                for (Channel channel : channels.values()) {
                    run(channel.catchUp());
                    due.put(channel, System.nanoTime() + channel.poll().toNanos());
                }
                while (running) {
                    long next = due.values().stream().mapToLong(Long::longValue).min().orElseThrow();
                    int wait = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(next - System.nanoTime()));
                    PGNotification[] heard = postgres.getNotifications(wait);
                    for (PGNotification notification : heard != null ? heard : new PGNotification[0]) {
                        Channel channel = channels.get(notification.getName());
                        if (channel != null) {
                            run(() -> channel.heard().accept(notification.getParameter()));
                        }
                    }
                    long now = System.nanoTime();
                    due.replaceAll((channel, at) -> {
                        if (now < at) {
                            return at;
                        }
                        run(channel.catchUp());
                        return now + channel.poll().toNanos();
                    });
                }
            } catch (SQLException | RuntimeException e) {
                log.debug("Lost the listening connection to the store ({}); reconnecting", e.getMessage());
                pause();
            }
        }
    }

    private static void run(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            log.debug("A store notification could not be handled: {}", e.getMessage());
        }
    }

    private void pause() {
        long shortest = channels.values().stream().mapToLong(c -> c.poll().toMillis()).min().orElse(1000);
        try {
            Thread.sleep(shortest);
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
