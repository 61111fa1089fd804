package io.deepmnist.inference;

import io.deepmnist.store.StoreNotifications;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** The registry's state in the job store, so that every replica sees the same models and the same aliases. */
@Component
class RegistryStore {

    static final String CHANNEL = "model_registry";
    static final String DEFAULT = "default";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final StoreNotifications notifications;

    RegistryStore(JdbcClient jdbc, TransactionTemplate transactions, StoreNotifications notifications) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.notifications = notifications;
    }

    /** The registered ids with their versions, and the aliases (the default among them), read together. */
    record Snapshot(Map<String, Long> versions, Map<String, String> aliases) {

        Set<String> ids() {
            return versions.keySet();
        }

        Optional<String> defaultId() {
            return Optional.ofNullable(aliases.get(DEFAULT));
        }
    }

    Snapshot read() {
        return transactions.execute(status -> {
            Map<String, Long> versions = new TreeMap<>();
            jdbc.sql("SELECT id, version FROM model").query((row, n) -> versions.put(row.getString(1), row.getLong(2))).list();
            Map<String, String> aliases = new TreeMap<>();
            jdbc.sql("SELECT alias, model_id FROM model_alias").query((row, n) -> aliases.put(row.getString(1), row.getString(2))).list();
            return new Snapshot(versions, aliases);
        });
    }

    /**
     * Adds the id unless it is there already, also when another replica adds it at the same moment, and returns
     * its version. The counter row's lock orders replicas that register at once; a number is never reused.
     */
    long add(String id, Instant createdAt) {
        Optional<Long> known = versionOf(id);
        if (known.isPresent()) {
            return known.get();
        }
        long version;
        try {
            version = insert(id, createdAt);
        } catch (DuplicateKeyException addedMeanwhile) {
            // the same model, registered by another replica
            version = versionOf(id).orElseThrow(() -> addedMeanwhile);
        }
        notifications.announce(CHANNEL, id);
        return version;
    }

    private long insert(String id, Instant createdAt) {
        return transactions.execute(status -> {
            jdbc.sql("UPDATE model_version_counter SET last_version = last_version + 1 WHERE name = 'model'").update();
            long next = jdbc.sql("SELECT last_version FROM model_version_counter WHERE name = 'model'").query(Long.class).single();
            jdbc.sql("INSERT INTO model (id, created_at, version) VALUES (?, ?, ?)")
                    .params(id, createdAt.atOffset(ZoneOffset.UTC), next).update();
            return next;
        });
    }

    private Optional<Long> versionOf(String id) {
        return jdbc.sql("SELECT version FROM model WHERE id = ?").param(id).query(Long.class).optional();
    }

    /**
     * Removes the id, unless an alias names it on any replica: the foreign key from {@code model_alias} refuses
     * the delete in the same statement, whatever this replica believes the aliases to be.
     *
     * @throws ModelInUseException where an alias names it
     */
    void remove(String id) {
        try {
            jdbc.sql("DELETE FROM model WHERE id = ?").param(id).update();
        } catch (DataIntegrityViolationException named) {
            throw new ModelInUseException(id, jdbc.sql("SELECT alias FROM model_alias WHERE model_id = ?").param(id)
                    .query(String.class).list());
        }
        notifications.announce(CHANNEL, id);
    }

    /** @throws ModelNotFoundException where the id was removed meanwhile (by another replica) */
    void setAlias(String alias, String id) {
        try {
            if (jdbc.sql("UPDATE model_alias SET model_id = ? WHERE alias = ?").params(id, alias).update() == 0) {
                try {
                    jdbc.sql("INSERT INTO model_alias (alias, model_id) VALUES (?, ?)").params(alias, id).update();
                } catch (DuplicateKeyException insertedMeanwhile) {
                    jdbc.sql("UPDATE model_alias SET model_id = ? WHERE alias = ?").params(id, alias).update();
                }
            }
        } catch (DataIntegrityViolationException removedMeanwhile) {
            throw new ModelNotFoundException(id);
        }
        notifications.announce(CHANNEL, alias);
    }

    /** @return whether there was such an alias */
    boolean removeAlias(String alias) {
        boolean removed = jdbc.sql("DELETE FROM model_alias WHERE alias = ?").param(alias).update() > 0;
        notifications.announce(CHANNEL, alias);
        return removed;
    }
}
