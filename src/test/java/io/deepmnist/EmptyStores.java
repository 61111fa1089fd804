package io.deepmnist;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** An empty database of each kind the job store runs on, for tests of the migrations themselves. */
public final class EmptyStores {

    private EmptyStores() {
    }

    /**
     * A new database migrated up to {@code version} only, to hold rows as an older release wrote them.
     *
     * @param store {@code h2} (in memory) or {@code postgresql} (a new database on the JVM's shared server)
     */
    public static DataSource migratedTo(String store, String version) {
        DataSource dataSource = switch (store) {
            case "h2" -> new DriverManagerDataSource("jdbc:h2:mem:empty-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
            case "postgresql" -> new DriverManagerDataSource(PostgresServer.shared().newDatabase(), "postgres", "");
            default -> throw new IllegalArgumentException("no store " + store);
        };
        Flyway.configure().dataSource(dataSource).target(version).load().migrate();
        return dataSource;
    }

    /** Runs the migrations that follow, as the next start of the service would. */
    public static void migrateToLatest(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).load().migrate();
    }
}
