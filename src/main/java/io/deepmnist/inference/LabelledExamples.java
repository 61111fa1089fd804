package io.deepmnist.inference;

import io.deepmnist.config.FeedbackProperties;
import io.deepmnist.dataset.DataSplit;
import io.deepmnist.dataset.MnistFile;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The prediction log's labelled images, as training examples: the pixels the model saw and the digit users gave. */
@Component
public class LabelledExamples {

    /** The most labelled examples a job takes, the newest first: 10,000 of them are 31 MB of floats. */
    public static final int MAX_EXAMPLES = 10_000;

    private static final String NEWEST = "FROM prediction_label l JOIN prediction_log p ON p.id = l.prediction_id "
            + "WHERE l.labelled_at <= ? ORDER BY l.labelled_at DESC, l.prediction_id FETCH FIRST " + MAX_EXAMPLES + " ROWS ONLY";

    private final JdbcClient jdbc;
    private final FeedbackProperties properties;

    LabelledExamples(JdbcClient jdbc, FeedbackProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /** How many predictions were labelled up to {@code until}, counting at most {@link #MAX_EXAMPLES}; 0 with the log off. */
    public int count(Instant until) {
        if (!properties.enabled()) {
            return 0;
        }
        return jdbc.sql("SELECT COUNT(*) FROM (SELECT l.prediction_id " + NEWEST + ") newest").param(until.atOffset(ZoneOffset.UTC))
                .query(Integer.class).single();
    }

    /** The newest labelled predictions up to {@code until}, at most {@link #MAX_EXAMPLES}, as a split. */
    public DataSplit load(Instant until) {
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        ByteArrayOutputStream digits = new ByteArrayOutputStream();
        if (properties.enabled()) {
            jdbc.sql("SELECT p.pixels, l.label " + NEWEST).param(until.atOffset(ZoneOffset.UTC)).query(row -> {
                byte[] image = row.getBytes(1);
                if (image.length == MnistFile.PIXELS) {
                    pixels.writeBytes(image);
                    digits.write(row.getInt(2));
                }
            });
        }
        return DataSplit.of("feedback", pixels.toByteArray(), digits.toByteArray());
    }
}
