package io.deepmnist.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves an artifact (files below one directory) between disk and store: its files first and its manifest last on
 * the way up; on the way down, every file checked against the manifest's SHA-256 before anyone may load it.
 */
final class Transfers {

    private static final Logger log = LoggerFactory.getLogger(Transfers.class);

    private final ObjectStore store;

    Transfers(ObjectStore store) {
        this.store = store;
    }

    /** Uploads {@code files} (relative to {@code dir}) under {@code prefix}, then the manifest to {@code manifestKey}. */
    ObjectManifest upload(String kind, String id, long step, Path dir, List<String> files, String prefix, String manifestKey) {
        List<ObjectManifest.File> entries = new ArrayList<>();
        for (String name : files) {
            Path file = dir.resolve(name);
            try {
                entries.add(new ObjectManifest.File(name, Files.size(file), sha256(file)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            store.put(prefix + name, file);
        }
        ObjectManifest manifest = new ObjectManifest(kind, id, step, entries, Instant.now());
        store.put(manifestKey, manifest.toJson());
        return manifest;
    }

    /** Downloads the manifest's files from {@code prefix} into {@code target}; a mismatch is fetched once more. */
    void download(ObjectManifest manifest, String prefix, Path target) {
        for (ObjectManifest.File file : manifest.files()) {
            Path local = target.resolve(file.name()).normalize();
            if (!local.startsWith(target)) {
                throw new CorruptArtifactException("the manifest of " + manifest.id() + " names a file outside it: " + file.name());
            }
            String actual = fetch(prefix + file.name(), local);
            if (!actual.equals(file.sha256())) {
                log.warn("{}{} has SHA-256 {}, its manifest says {}: fetching it again", prefix, file.name(), actual, file.sha256());
                actual = fetch(prefix + file.name(), local);
                if (!actual.equals(file.sha256())) {
                    throw new CorruptArtifactException("%s%s is corrupt in the store: its SHA-256 is %s twice, its manifest says %s"
                            .formatted(prefix, file.name(), actual, file.sha256()));
                }
            }
        }
    }

    private String fetch(String key, Path local) {
        if (!store.get(key, local)) {
            throw new CorruptArtifactException(key + " is missing from the store, though its manifest names it");
        }
        try {
            return sha256(local);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + local + ": " + e.getMessage(), e);
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
