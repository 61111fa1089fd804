package io.deepmnist.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.EmptyStores;
import java.time.OffsetDateTime;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Labels given before they had a table of their own move there, on both stores; unlabelled predictions stay unlabelled. */
class PredictionLabelMigrationTests {

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void labelsInTheLogMoveToTheirOwnTable(String store) {
        DataSource dataSource = EmptyStores.migratedTo(store, "12");
        JdbcClient jdbc = JdbcClient.create(dataSource);
        OffsetDateTime answered = OffsetDateTime.parse("2026-12-01T10:00:00Z");
        OffsetDateTime labelled = answered.plusMinutes(5);
        for (String id : new String[] {"right", "wrong", "unlabelled"}) {
            jdbc.sql("INSERT INTO prediction_log (id, model_id, digit, probabilities, pixels, created_at) VALUES (?, 'cnn-1', 3, ?, ?, ?)")
                    .params(id, new byte[40], new byte[784], answered).update();
        }
        jdbc.sql("UPDATE prediction_log SET label = 3, labelled_at = ? WHERE id = 'right'").param(labelled).update();
        jdbc.sql("UPDATE prediction_log SET label = 5, labelled_at = ? WHERE id = 'wrong'").param(labelled).update();

        EmptyStores.migrateToLatest(dataSource);

        assertThat(jdbc.sql("SELECT prediction_id, model_id, digit, label, created_at, labelled_at FROM prediction_label "
                + "ORDER BY prediction_id").query((row, n) -> row.getString(1) + " " + row.getString(2) + " " + row.getInt(3) + "->"
                + row.getInt(4) + " " + row.getObject(5, OffsetDateTime.class).toInstant() + " "
                + row.getObject(6, OffsetDateTime.class).toInstant()).list())
                .containsExactly("right cnn-1 3->3 2026-12-01T10:00:00Z 2026-12-01T10:05:00Z",
                        "wrong cnn-1 3->5 2026-12-01T10:00:00Z 2026-12-01T10:05:00Z");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM prediction_log").query(Long.class).single()).isEqualTo(3);
    }
}
