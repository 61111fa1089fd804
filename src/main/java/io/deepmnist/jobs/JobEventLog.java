package io.deepmnist.jobs;

import io.deepmnist.store.StoreNotifications;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every job's event history, stored before it is published, so a late or reconnecting subscriber reads
 * exactly what live subscribers saw. Each stored event is announced to the other replicas (see {@link EventRelay}).
 */
@Component
public class JobEventLog {

    /** The most characters an event's JSON may have: {@code job_event.data} is a VARCHAR(4000). */
    static final int MAX_DATA = 4000;

    private final JdbcClient jdbc;
    private final EventHub hub;
    private final JsonMapper json;
    private final Clock clock;
    /** Appends for one job are serialised; a fixed set of locks, so that they do not grow with every job ever seen. */
    private final Object[] locks = new Object[64];
    private final StoreNotifications notifications;

    JobEventLog(StoreNotifications notifications, JdbcClient jdbc, EventHub hub, JsonMapper json, Clock clock) {
        this.notifications = notifications;
        Arrays.setAll(locks, i -> new Object());
        this.jdbc = jdbc;
        this.hub = hub;
        this.json = json;
        this.clock = clock;
    }

    /** Stores the event under the job's next sequence number, then hands it to the job's subscribers. */
    public JobEvent append(String jobId, String type, Object payload) {
        return append(jobId, type, payload, false);
    }

    /** A state event; a terminal one ends every subscriber's stream. */
    public JobEvent appendState(String jobId, Object payload, boolean terminal) {
        return append(jobId, JobEvent.STATE, payload, terminal);
    }

    private JobEvent append(String jobId, String type, Object payload, boolean terminal) {
        String data = json.writeValueAsString(payload);
        synchronized (locks[Math.floorMod(jobId.hashCode(), locks.length)]) {
            for (int attempt = 1; ; attempt++) {
                long seq = jdbc.sql("SELECT COALESCE(MAX(seq), 0) + 1 FROM job_event WHERE job_id = ?")
                        .param(jobId).query(Long.class).single();
                JobEvent event = new JobEvent(jobId, seq, type, data, terminal, clock.instant());
                try {
                    jdbc.sql("INSERT INTO job_event (job_id, seq, type, data, terminal, created_at) VALUES (?, ?, ?, ?, ?, ?)")
                            .params(jobId, seq, type, data, terminal, event.createdAt().atOffset(ZoneOffset.UTC)).update();
                } catch (DuplicateKeyException e) {
                    if (attempt == 5) {
                        throw e;
                    }
                    continue; // another replica stored this job's next event first
                }
                notifications.announce(EventRelay.CHANNEL, jobId);
                hub.publish(event);
                return event;
            }
        }
    }

    /**
     * The longest head of {@code text} (marked with "..." where cut) for which {@code payload}'s JSON fits into an
     * event. Escapes count: a quote or a newline takes two characters of JSON, a control character six.
     */
    String fit(String text, Function<String, Object> payload) {
        if (fits(payload.apply(text))) {
            return text;
        }
        int lo = 0;
        int hi = text.length();
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (fits(payload.apply(cut(text, mid)))) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return cut(text, lo);
    }

    private boolean fits(Object payload) {
        return json.writeValueAsString(payload).length() <= MAX_DATA;
    }

    private static String cut(String text, int length) {
        int end = length > 0 && Character.isHighSurrogate(text.charAt(length - 1)) ? length - 1 : length;
        return text.substring(0, end) + "...";
    }

    /** The job's events after {@code afterSeq}, in order, at most {@code limit} of them. */
    public List<JobEvent> after(String jobId, long afterSeq, int limit) {
        return jdbc.sql("SELECT job_id, seq, type, data, terminal, created_at FROM job_event WHERE job_id = ? AND seq > ? "
                        + "ORDER BY seq LIMIT ?")
                .params(jobId, afterSeq, limit)
                .query((rs, i) -> new JobEvent(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getBoolean(5), rs.getObject(6, OffsetDateTime.class).toInstant()))
                .list();
    }

    void delete(String jobId) {
        jdbc.sql("DELETE FROM job_event WHERE job_id = ?").param(jobId).update();
    }

    /** Removes the stream's events up to {@code seq}; the numbering goes on from the newest. */
    void deleteUpTo(String stream, long seq) {
        jdbc.sql("DELETE FROM job_event WHERE job_id = ? AND seq <= ?").params(stream, seq).update();
    }
}
