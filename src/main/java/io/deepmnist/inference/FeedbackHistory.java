package io.deepmnist.inference;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** A model's labelled accuracy over time: its labelled predictions counted per minute, hour or day in which they were answered. */
@Component
public class FeedbackHistory {

    /** The most buckets an answer covers, the newest ones. */
    public static final int BUCKETS = 120;

    public enum Bucket {
        MINUTE(ChronoUnit.MINUTES), HOUR(ChronoUnit.HOURS), DAY(ChronoUnit.DAYS);

        private final ChronoUnit unit;

        Bucket(ChronoUnit unit) {
            this.unit = unit;
        }
    }

    /** The labelled predictions answered in [{@code from}, from + one bucket), with the Wilson interval. */
    public record Point(Instant from, long labelled, long correct, Double accuracy, double[] interval95) {
    }

    public record History(String modelId, Bucket bucket, List<Point> points) {
    }

    private final JdbcClient jdbc;

    FeedbackHistory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The buckets with labels among the last {@link #BUCKETS}, oldest first. */
    public History of(String modelId, Bucket bucket, Instant now) {
        Duration size = bucket.unit.getDuration();
        Instant since = now.truncatedTo(bucket.unit).minus(size.multipliedBy(BUCKETS - 1L));
        TreeMap<Instant, long[]> counts = new TreeMap<>();
        jdbc.sql("SELECT created_at, CASE WHEN label = digit THEN 1 ELSE 0 END FROM prediction_label "
                        + "WHERE model_id = ? AND created_at >= ?")
                .params(modelId, since.atOffset(ZoneOffset.UTC))
                .query(row -> {
                    Instant from = row.getObject(1, OffsetDateTime.class).toInstant().truncatedTo(bucket.unit);
                    long[] c = counts.computeIfAbsent(from, f -> new long[2]);
                    c[0]++;
                    c[1] += row.getInt(2);
                });
        List<Point> points = new ArrayList<>();
        counts.forEach((from, c) -> {
            FeedbackAccuracy a = FeedbackAccuracy.of(modelId, c[0], c[1]);
            points.add(new Point(from, c[0], c[1], a.accuracy(), a.interval95()));
        });
        return new History(modelId, bucket, points);
    }
}
