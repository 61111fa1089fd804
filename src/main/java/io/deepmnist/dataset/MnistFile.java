package io.deepmnist.dataset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The four files of the MNIST release, with the SHA-256 of their decompressed bytes.
 * The sums are the ones published with the dataset; every copy, whatever its source, is checked against them.
 */
public enum MnistFile {
    TRAIN_IMAGES("train-images-idx3-ubyte", true, 60_000,
            "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
    TRAIN_LABELS("train-labels-idx1-ubyte", false, 60_000,
            "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
    TEST_IMAGES("t10k-images-idx3-ubyte", true, 10_000,
            "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
    TEST_LABELS("t10k-labels-idx1-ubyte", false, 10_000,
            "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

    public static final int ROWS = 28;
    public static final int COLUMNS = 28;
    public static final int PIXELS = ROWS * COLUMNS;
    public static final int CLASSES = 10;

    private final String fileName;
    private final boolean images;
    private final int count;
    private final String sha256;

    MnistFile(String fileName, boolean images, int count, String sha256) {
        this.fileName = fileName;
        this.images = images;
        this.count = count;
        this.sha256 = sha256;
    }

    public String fileName() {
        return fileName;
    }

    public String gzipFileName() {
        return fileName + ".gz";
    }

    public boolean isImages() {
        return images;
    }

    public int count() {
        return count;
    }

    public String sha256() {
        return sha256;
    }

    /** The copy of this file in {@code dir}, raw preferred over gzip. */
    public Optional<Path> locateIn(Path dir) {
        Path raw = dir.resolve(fileName);
        if (Files.isRegularFile(raw)) {
            return Optional.of(raw);
        }
        Path gz = dir.resolve(gzipFileName());
        return Files.isRegularFile(gz) ? Optional.of(gz) : Optional.empty();
    }
}
