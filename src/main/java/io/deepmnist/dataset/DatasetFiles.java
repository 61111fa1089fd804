package io.deepmnist.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/** Installing verified MNIST files into a directory, atomically. */
public final class DatasetFiles {

    private DatasetFiles() {
    }

    public static Set<MnistFile> missingIn(Path dir) {
        Set<MnistFile> missing = EnumSet.noneOf(MnistFile.class);
        for (MnistFile file : MnistFile.values()) {
            if (file.locateIn(dir).isEmpty()) {
                missing.add(file);
            }
        }
        return missing;
    }

    /**
     * Verifies {@code stored} (raw or gzip) as {@code file} and writes it under its raw or {@code .gz} name:
     * first to a temporary name, then renamed, so a reader never sees a partial file.
     */
    public static Path install(Path dir, MnistFile file, byte[] stored, String source) {
        boolean gzip = IdxReader.isGzip(stored);
        byte[] raw = gzip ? IdxReader.gunzip(stored, file.fileName() + " from " + source) : stored;
        IdxReader.validate(file, file.fileName() + " from " + source, raw);
        Checksums.verify(file, raw, source);
        Path target = dir.resolve(gzip ? file.gzipFileName() : file.fileName());
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve("." + file.fileName() + "." + UUID.randomUUID() + ".part");
            try {
                Files.write(tmp, stored);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
        return target;
    }
}
