package io.deepmnist.inference;

import io.deepmnist.store.StoreNotifications;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** The registry's state in the job store, so that every replica sees the same models and the same default. */
@Component
class RegistryStore {

    static final String CHANNEL = "model_registry";
    private static final String DEFAULT = "default";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final StoreNotifications notifications;

    RegistryStore(JdbcClient jdbc, TransactionTemplate transactions, StoreNotifications notifications) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.notifications = notifications;
    }

    /** The registered ids and the default, read together. */
    record Snapshot(Set<String> ids, Optional<String> defaultId) {
    }

    Snapshot read() {
        return transactions.execute(status -> new Snapshot(
                new TreeSet<>(jdbc.sql("SELECT id FROM model").query(String.class).list()),
                jdbc.sql("SELECT model_id FROM model_default WHERE name = ?").param(DEFAULT).query(String.class).optional()));
    }

    /** Adds the id unless it is there already, also when another replica adds it at the same moment. */
    void add(String id, Instant createdAt) {
        if (jdbc.sql("SELECT COUNT(*) FROM model WHERE id = ?").param(id).query(Long.class).single() == 0) {
            try {
                jdbc.sql("INSERT INTO model (id, created_at) VALUES (?, ?)").params(id, createdAt.atOffset(ZoneOffset.UTC)).update();
            } catch (DuplicateKeyException addedMeanwhile) {
                // the same model, registered by another replica
            }
            notifications.announce(CHANNEL, id);
        }
    }

    void remove(String id) {
        jdbc.sql("DELETE FROM model WHERE id = ?").param(id).update();
        notifications.announce(CHANNEL, id);
    }

    void setDefault(String id) {
        if (jdbc.sql("UPDATE model_default SET model_id = ? WHERE name = ?").params(id, DEFAULT).update() == 0) {
            try {
                jdbc.sql("INSERT INTO model_default (name, model_id) VALUES (?, ?)").params(DEFAULT, id).update();
            } catch (DuplicateKeyException insertedMeanwhile) {
                jdbc.sql("UPDATE model_default SET model_id = ? WHERE name = ?").params(id, DEFAULT).update();
            }
        }
        notifications.announce(CHANNEL, id);
    }
}
