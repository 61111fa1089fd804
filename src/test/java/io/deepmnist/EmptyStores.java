package io.deepmnist;

import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** An empty database of each kind the job store runs on, for tests of the migrations themselves. */
public final class EmptyStores {

    private EmptyStores() {
    }

    /** @param store {@code h2} (in memory) or {@code postgresql} (a new database on the JVM's shared server) */
    public static DataSource of(String store) {
        return switch (store) {
            case "h2" -> new DriverManagerDataSource("jdbc:h2:mem:empty-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
            case "postgresql" -> new DriverManagerDataSource(PostgresServer.shared().newDatabase(), "postgres", "");
            default -> throw new IllegalArgumentException("no store " + store);
        };
    }
}
