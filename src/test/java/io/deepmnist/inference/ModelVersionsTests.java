package io.deepmnist.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.deepmnist.EmptyStores;
import io.deepmnist.store.StoreNotifications;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Model versions, by which the standard protocols name models, on both stores: models registered before the
 * versions existed are numbered by age, and a number is never given twice, also after its model is deleted.
 */
class ModelVersionsTests {

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void versionsNumberModelsByAgeAndAreNeverReused(String store) {
        DataSource dataSource = EmptyStores.migratedTo(store, "4");
        JdbcClient jdbc = JdbcClient.create(dataSource);
        Instant now = Instant.parse("2026-11-27T12:00:00Z");
        for (var model : Map.of("softmax-b", now.minusSeconds(60), "cnn-a", now, "cnn-c", now.minusSeconds(3600)).entrySet()) {
            jdbc.sql("INSERT INTO model (id, created_at) VALUES (?, ?)").params(model.getKey(), model.getValue().atOffset(ZoneOffset.UTC)).update();
        }
        EmptyStores.migrateToLatest(dataSource);

        RegistryStore registry = new RegistryStore(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
                mock(StoreNotifications.class));
        assertThat(registry.read().versions()).containsExactlyInAnyOrderEntriesOf(Map.of("cnn-c", 1L, "softmax-b", 2L, "cnn-a", 3L));

        assertThat(registry.add("cnn-d", now)).isEqualTo(4);
        assertThat(registry.add("cnn-d", now)).as("the same model again").isEqualTo(4);
        registry.remove("cnn-d");
        registry.remove("cnn-a");
        assertThat(registry.add("cnn-e", now)).as("after the newest was deleted").isEqualTo(5);
        assertThat(registry.read().versions()).containsExactlyInAnyOrderEntriesOf(Map.of("cnn-c", 1L, "softmax-b", 2L, "cnn-e", 5L));
    }
}
