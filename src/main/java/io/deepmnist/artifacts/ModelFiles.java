package io.deepmnist.artifacts;

import io.deepmnist.engine.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models this replica holds on disk, least recently used evicted first once they take more than the cache's
 * size. A pinned model (loaded in a session, or being loaded) is never evicted. A directory here is complete: a
 * download is verified in a staging directory and renamed into place.
 */
final class ModelFiles {

    private static final Logger log = LoggerFactory.getLogger(ModelFiles.class);
    static final String STAGING_PREFIX = ".tmp-";

    private final Path root;
    private final long maxBytes;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

    private static final class Entry {
        final long bytes;
        int pins;

        Entry(long bytes) {
            this.bytes = bytes;
        }
    }

    ModelFiles(Path root, long maxBytes) {
        this.root = root;
        this.maxBytes = maxBytes;
        try {
            Files.createDirectories(root);
            try (Stream<Path> children = Files.list(root)) {
                List<Path> dirs = children.sorted(Comparator.comparing(ModelFiles::modified)).toList();
                for (Path dir : dirs) {
                    if (dir.getFileName().toString().startsWith(STAGING_PREFIX)) {
                        FileTrees.delete(dir); // a download cut off by a crash
                    } else if (Files.isDirectory(dir)) {
                        entries.put(dir.getFileName().toString(), new Entry(size(dir)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + root + " as the model cache: " + e.getMessage(), e);
        }
    }

    Path dir(String id) {
        return root.resolve(id);
    }

    synchronized boolean contains(String id) {
        return entries.containsKey(id) && Files.isDirectory(dir(id));
    }

    /** A model now complete in {@link #dir}, pinned once. */
    synchronized void added(String id, boolean pin) {
        Entry entry = entries.computeIfAbsent(id, k -> new Entry(size(dir(k))));
        if (pin) {
            entry.pins++;
        }
        evict(id);
    }

    synchronized void pin(String id) {
        entries.computeIfAbsent(id, k -> new Entry(size(dir(k)))).pins++;
    }

    synchronized void unpin(String id) {
        Entry entry = entries.get(id);
        if (entry != null && entry.pins > 0) {
            entry.pins--;
        }
        evict(null);
    }

    synchronized void remove(String id) {
        entries.remove(id);
        FileTrees.delete(dir(id));
    }

    synchronized long bytes() {
        return entries.values().stream().mapToLong(e -> e.bytes).sum();
    }

    synchronized int count() {
        return entries.size();
    }

    private void evict(String keep) {
        long total = bytes();
        List<String> evicted = new ArrayList<>();
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while (total > maxBytes && it.hasNext()) {
            Map.Entry<String, Entry> eldest = it.next();
            if (eldest.getValue().pins == 0 && !eldest.getKey().equals(keep)) {
                it.remove();
                total -= eldest.getValue().bytes;
                FileTrees.delete(dir(eldest.getKey()));
                evicted.add(eldest.getKey());
            }
        }
        if (!evicted.isEmpty()) {
            log.info("Evicted models {} from the cache in {}: it holds {} bytes, at most {}", evicted, root, total, maxBytes);
        }
    }

    private static long size(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private static long modified(Path p) {
        return p.toFile().lastModified();
    }
}
