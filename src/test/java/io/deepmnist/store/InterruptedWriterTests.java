package io.deepmnist.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.TestHome;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A thread that is interrupted while it uses the H2 store (an executor shut down with its task in a query, a
 * cancelled job) must not close the store for every other thread. With a plain {@code file:} URL, the interrupt
 * closes H2's file channel and every later statement fails, on every connection, until the process restarts:
 * {@code bench predict} lost its store that way when one of two services in its JVM stopped.
 */
class InterruptedWriterTests {

    private static final String INSERT = "INSERT INTO prediction_log (id, model_id, digit, probabilities, pixels, created_at) "
            + "VALUES (?, 'm', 1, ?, ?, ?)";

    @Test
    void aWriteFromAnInterruptedThreadLeavesTheStoreWorking() throws InterruptedException {
        try (ConfigurableApplicationContext service = TestHome.start(TestHome.create())) {
            JdbcTemplate jdbc = service.getBean(JdbcTemplate.class);
            AtomicReference<Throwable> interruptedWrite = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                Thread.currentThread().interrupt(); // as if interrupted just before the write reaches the file
                try {
                    insert(jdbc);
                } catch (RuntimeException e) {
                    interruptedWrite.set(e);
                }
            });
            writer.start();
            writer.join();

            insert(jdbc);
            insert(jdbc);
            long rows = jdbc.queryForObject("SELECT COUNT(*) FROM prediction_log WHERE model_id = 'm'", Long.class);
            assertThat(rows).as("rows written (the interrupted write: %s)", interruptedWrite.get()).isBetween(2L, 3L);
            assertThat(TestHome.api(service).get("/jobs").status()).isEqualTo(200);
        }
    }

    private static void insert(JdbcTemplate jdbc) {
        jdbc.update(INSERT, UUID.randomUUID().toString(), new byte[40], new byte[784], OffsetDateTime.now());
    }
}
