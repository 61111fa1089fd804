package io.deepmnist.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/**
 * Which database holds the job store, read once: the embedded H2 file of a single process, or PostgreSQL,
 * which several replicas may share.
 */
@Component
public class StoreKind {

    private final String product;

    public StoreKind(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            this.product = connection.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the job store: " + e.getMessage(), e);
        }
    }

    /** One process owns the store, so nothing another process left in it is still in use. */
    public boolean isEmbedded() {
        return "H2".equalsIgnoreCase(product);
    }

    /** Other replicas may share the store; they hear of changes by NOTIFY. */
    public boolean isPostgres() {
        return "PostgreSQL".equalsIgnoreCase(product);
    }
}
