package io.deepmnist.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.EmptyStores;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Jobs stored before the request had its own column keep the best value known, on both stores: what a job that
 * has not run asked for, and what one that ran trains in.
 */
class RequestedPrecisionMigrationTests {

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void jobsFromBeforeTakeTheirStoredPrecisionAsTheirRequest(String store) {
        DataSource dataSource = EmptyStores.migratedTo(store, "6");
        JdbcClient jdbc = JdbcClient.create(dataSource);
        for (List<String> job : List.of(List.of("queued-auto", "QUEUED", "AUTO"), List.of("ran-bf16", "SUCCEEDED", "BF16"))) {
            jdbc.sql("INSERT INTO job (id, state, model, steps, batch_size, optimizer, learning_rate, keep_prob, log_every, "
                            + "checkpoint_every, seed, promote, step, created_at, training_precision) "
                            + "VALUES (?, ?, 'cnn', 10, 50, 'adam', 0.0001, 0.5, 5, 0, 1, FALSE, 0, ?, ?)")
                    .params(job.get(0), job.get(1), Instant.parse("2026-11-27T12:00:00Z").atOffset(ZoneOffset.UTC), job.get(2))
                    .update();
        }
        EmptyStores.migrateToLatest(dataSource);

        assertThat(jdbc.sql("SELECT id, requested_precision FROM job ORDER BY id")
                .query((rs, row) -> rs.getString(1) + "=" + rs.getString(2)).list())
                .containsExactly("queued-auto=AUTO", "ran-bf16=BF16");
    }
}
