package io.deepmnist.inference;

import io.deepmnist.config.FeedbackProperties;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The prediction log's retention: every {@code mnist.feedback.retention-every}, whatever is older than
 * {@code max-age} or beyond the newest {@code max-entries} goes, {@value #CHUNK} rows a statement, and the labels
 * of those predictions with them. The log's writer thread runs one chunk between its batches: one statement for
 * the whole excess (150,000 rows a minute at 2,500 predictions/s) held the writer for seconds, so the queue
 * filled, and it was a burst of work that slowed every prediction of its minute.
 */
final class PredictionLogRetention {

    static final int CHUNK = 2_000;
    private static final Logger log = LoggerFactory.getLogger(PredictionLogRetention.class);

    private final JdbcClient jdbc;
    private final FeedbackProperties properties;
    /** Rows created at or before this go; null between passes. */
    private OffsetDateTime boundary;
    private long nextPass = System.nanoTime();

    PredictionLogRetention(JdbcClient jdbc, FeedbackProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /** Deletes one chunk when a pass is due or under way; true while the pass has more to delete. */
    boolean step() {
        try {
            if (boundary == null) {
                if (System.nanoTime() - nextPass < 0) {
                    return false;
                }
                nextPass = System.nanoTime() + properties.retentionEvery().toNanos();
                boundary = boundary();
                if (boundary == null) {
                    return false;
                }
            }
            OffsetDateTime limit = boundary;
            Optional<OffsetDateTime> chunkEnd = jdbc.sql("SELECT created_at FROM prediction_log WHERE created_at <= ? "
                    + "ORDER BY created_at OFFSET ? ROWS FETCH NEXT 1 ROWS ONLY").param(limit).param(CHUNK - 1)
                    .query(OffsetDateTime.class).optional().filter(at -> at.isBefore(limit));
            OffsetDateTime end = chunkEnd.orElse(limit);
            jdbc.sql("DELETE FROM prediction_log WHERE created_at <= ?").param(end).update();
            jdbc.sql("DELETE FROM prediction_label WHERE created_at <= ?").param(end).update(); // their labels go with them
            if (chunkEnd.isEmpty()) {
                boundary = null;
            }
            return boundary != null;
        } catch (RuntimeException e) {
            boundary = null;
            log.warn("The prediction log's retention could not run now: {}", e.getMessage());
            return false;
        }
    }

    /**
     * The newest creation time that goes now: too old, or beyond the newest max-entries; null when none goes. The
     * rows beyond are counted from the oldest end: counting from the newest walked all max-entries rows of the
     * index (100,000, about 20 ms on H2) on every pass, while H2 counts a table's rows without a walk.
     */
    private OffsetDateTime boundary() {
        OffsetDateTime tooOld = Instant.now().minus(properties.maxAge()).minusNanos(1_000).atOffset(ZoneOffset.UTC);
        long excess = jdbc.sql("SELECT COUNT(*) FROM prediction_log").query(Long.class).single() - properties.maxEntries();
        OffsetDateTime limit = excess <= 0 ? tooOld : jdbc.sql("SELECT created_at FROM prediction_log ORDER BY created_at "
                        + "OFFSET ? ROWS FETCH NEXT 1 ROWS ONLY").param(excess - 1).query(OffsetDateTime.class).optional()
                .filter(beyond -> beyond.isAfter(tooOld)).orElse(tooOld);
        boolean any = jdbc.sql("SELECT 1 FROM prediction_log WHERE created_at <= ? FETCH FIRST 1 ROWS ONLY").param(limit)
                .query(Integer.class).optional().isPresent();
        return any ? limit : null;
    }
}
