package io.deepmnist.jobs;

import io.deepmnist.engine.ComputeDevice;
import io.deepmnist.engine.TrainingDevices;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Each replica's row in the store, renewed every sixth of the lease, so that any replica can say which of them
 * are alive. Only a report: claiming and reviving jobs is db-scheduler's, with its own heartbeats. A replica
 * that stops cleanly removes its row; one that died stays listed as not alive for {@link #FORGET_AFTER}.
 */
@Component
public class ReplicaHeartbeats implements SmartLifecycle {

    static final Duration FORGET_AFTER = Duration.ofHours(1);
    private static final Logger log = LoggerFactory.getLogger(ReplicaHeartbeats.class);

    private final JdbcClient jdbc;
    private final String node;
    private final String devices;
    private final Duration lease;
    private volatile ScheduledExecutorService beat;

    ReplicaHeartbeats(JdbcClient jdbc, NodeName node, TrainingDevices devices, JobsProperties properties) {
        this.jdbc = jdbc;
        this.node = node.name();
        this.devices = devices.devices().stream().map(ComputeDevice::name).collect(Collectors.joining(","));
        this.lease = properties.lease();
    }

    /** Every replica with a row, this one included, alive or not, newest heartbeat first. */
    public List<Replica> list() {
        Map<String, List<String>> running = jdbc.sql("SELECT node, id FROM job WHERE state = 'RUNNING' AND node IS NOT NULL")
                .query((rs, i) -> Map.entry(rs.getString(1), rs.getString(2))).list().stream()
                .collect(Collectors.groupingBy(Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        return jdbc.sql("SELECT name, devices, started_at, last_heartbeat, CURRENT_TIMESTAMP FROM replica ORDER BY last_heartbeat DESC, name")
                .query((rs, i) -> {
                    OffsetDateTime last = rs.getObject(4, OffsetDateTime.class);
                    Duration since = Duration.between(last, rs.getObject(5, OffsetDateTime.class));
                    String name = rs.getString(1);
                    return new Replica(name, Arrays.asList(rs.getString(2).split(",")),
                            rs.getObject(3, OffsetDateTime.class).toInstant(), last.toInstant(), since,
                            since.compareTo(lease) < 0, running.getOrDefault(name, List.of()));
                }).list();
    }

    private void heartbeat() {
        try {
            if (jdbc.sql("UPDATE replica SET last_heartbeat = CURRENT_TIMESTAMP WHERE name = ?").param(node).update() == 0) {
                jdbc.sql("INSERT INTO replica (name, devices, started_at, last_heartbeat) VALUES (?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")
                        .params(node, devices).update();
            }
            OffsetDateTime forgotten = jdbc.sql("SELECT CURRENT_TIMESTAMP").query(OffsetDateTime.class).single().minus(FORGET_AFTER);
            jdbc.sql("DELETE FROM replica WHERE last_heartbeat < ?").param(forgotten).update();
        } catch (DataAccessException e) {
            log.debug("Cannot renew this replica's heartbeat: {}", e.getMostSpecificCause().getMessage());
        }
    }

    @Override
    public void start() {
        heartbeat();
        beat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "replica-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(100, lease.dividedBy(6).toMillis());
        beat.scheduleWithFixedDelay(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        beat.shutdownNow();
        beat = null;
        try {
            jdbc.sql("DELETE FROM replica WHERE name = ?").param(node).update();
        } catch (DataAccessException e) {
            log.debug("Cannot remove this replica's row: {}", e.getMostSpecificCause().getMessage());
        }
    }

    @Override
    public boolean isRunning() {
        return beat != null;
    }
}
