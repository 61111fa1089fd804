package io.deepmnist.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checkpoints {@code ckpt-{step}.index/.data-*} in one directory. A checkpoint exists only once its index
 * file does, and the index is the last file moved into place, so a crash mid-save never leaves a partial
 * checkpoint as the latest. Only the newest {@code keepLast} are kept.
 */
public final class CheckpointStore {

    private static final String PREFIX = "ckpt-";
    private static final String INDEX = ".index";
    private static final Pattern INDEX_FILE = Pattern.compile("ckpt-(\\d+)\\.index");
    private static final String TEMP_PREFIX = ".tmp-";

    private final Path dir;
    private final int keepLast;

    public CheckpointStore(Path dir, int keepLast) {
        if (keepLast < 1) {
            throw new IllegalArgumentException("keepLast must be at least 1, got " + keepLast);
        }
        this.dir = dir;
        this.keepLast = keepLast;
    }

    public Path directory() {
        return dir;
    }

    public CheckpointInfo save(MnistModel model, long step) {
        String name = PREFIX + step;
        try {
            Files.createDirectories(dir);
            Path staging = Files.createTempDirectory(dir, TEMP_PREFIX + name + "-");
            try {
                try {
                    model.save(staging.resolve(name));
                } catch (RuntimeException e) {
                    // TensorFlow's message (often "No space left on device") is kept; where and what to do is added.
                    throw new IOException(e.getMessage() + "; the job's earlier checkpoints are intact: make room and "
                            + "resume it", e);
                }
                moveIn(staging, name);
            } finally {
                FileTrees.delete(staging);
            }
            prune();
            return describe(step).orElseThrow(() -> new IllegalStateException("checkpoint " + name + " vanished after saving"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + name + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Takes in the checkpoint at {@code step} whose files lie in {@code staging} (fetched from elsewhere), index last. */
    public CheckpointInfo adopt(Path staging, long step) {
        try {
            moveIn(staging, PREFIX + step);
            return describe(step).orElseThrow(() -> new IllegalStateException("checkpoint " + PREFIX + step + " has no index file"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take in checkpoint " + PREFIX + step + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The names of the checkpoint's files, the index last; empty once it was pruned. */
    public List<String> fileNames(long step) {
        String name = PREFIX + step;
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.map(p -> p.getFileName().toString()).filter(f -> f.startsWith(name + "."))
                    .sorted(Comparator.comparing((String f) -> f.endsWith(INDEX))).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + dir + ": " + e.getMessage(), e);
        }
    }

    private void moveIn(Path staging, String name) throws IOException {
        Files.createDirectories(dir);
        List<Path> files;
        try (Stream<Path> listing = Files.list(staging)) {
            files = listing.filter(p -> p.getFileName().toString().startsWith(name + "."))
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString().endsWith(INDEX)))
                    .toList();
        }
        for (Path file : files) {
            Files.move(file, dir.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A fresh directory beside the checkpoints, on the same file system, for files to {@link #adopt}. */
    public Path stagingDirectory() {
        try {
            Files.createDirectories(dir);
            return Files.createTempDirectory(dir, TEMP_PREFIX);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Complete checkpoints, oldest first. */
    public List<CheckpointInfo> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<CheckpointInfo> found = new ArrayList<>();
        try (Stream<Path> listing = Files.list(dir)) {
            for (Path p : (Iterable<Path>) listing::iterator) {
                Matcher m = INDEX_FILE.matcher(p.getFileName().toString());
                if (m.matches()) {
                    describe(Long.parseLong(m.group(1))).ifPresent(found::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + dir + ": " + e.getMessage(), e);
        }
        found.sort(Comparator.comparingLong(CheckpointInfo::step));
        return found;
    }

    public Optional<CheckpointInfo> latest() {
        List<CheckpointInfo> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    public void restore(MnistModel model, CheckpointInfo checkpoint) {
        model.restore(checkpoint.prefix());
    }

    /** The checkpoint at {@code step}, or empty if it is not (or no longer: a save just pruned it) complete. */
    private Optional<CheckpointInfo> describe(long step) throws IOException {
        String name = PREFIX + step;
        Path index = dir.resolve(name + INDEX);
        try {
            if (!Files.isRegularFile(index)) {
                return Optional.empty();
            }
            long size = 0;
            try (Stream<Path> listing = Files.list(dir)) {
                for (Path p : (Iterable<Path>) listing::iterator) {
                    if (p.getFileName().toString().startsWith(name + ".")) {
                        size += Files.size(p);
                    }
                }
            }
            return Optional.of(new CheckpointInfo(step, Files.getLastModifiedTime(index).toInstant(), size, dir.resolve(name)));
        } catch (NoSuchFileException prunedMeanwhile) {
            return Optional.empty();
        }
    }

    private void prune() throws IOException {
        List<CheckpointInfo> all = list();
        for (int i = 0; i < all.size() - keepLast; i++) {
            String name = all.get(i).prefix().getFileName().toString();
            Files.deleteIfExists(dir.resolve(name + INDEX));
            try (Stream<Path> listing = Files.list(dir)) {
                for (Path p : (Iterable<Path>) listing::iterator) {
                    if (p.getFileName().toString().startsWith(name + ".")) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }
}
