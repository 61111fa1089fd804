package io.deepmnist.dataset;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * MNIST split as TensorFlow's {@code read_data_sets} splits it: the first 5,000 training images are the
 * validation set, the other 55,000 the training set, and the 10,000 test images the test set. Immutable,
 * so one instance is shared by every job in the process.
 */
public final class MnistDataset {

    public static final int VALIDATION_SIZE = 5_000;

    private final DataSplit train;
    private final DataSplit validation;
    private final DataSplit test;
    private final Map<MnistFile, String> sha256;

    private MnistDataset(DataSplit train, DataSplit validation, DataSplit test, Map<MnistFile, String> sha256) {
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.sha256 = Map.copyOf(sha256);
    }

    /** Reads, validates and verifies the four files in {@code dir}. */
    public static MnistDataset load(Path dir) {
        Map<MnistFile, byte[]> raw = new EnumMap<>(MnistFile.class);
        Map<MnistFile, Integer> offsets = new EnumMap<>(MnistFile.class);
        Map<MnistFile, String> sums = new EnumMap<>(MnistFile.class);
        for (MnistFile file : MnistFile.values()) {
            Path path = file.locateIn(dir).orElseThrow(() -> new DatasetUnavailableException(dir, file.fileName() + " is missing"));
            byte[] bytes = IdxReader.readDecompressed(path);
            offsets.put(file, IdxReader.validate(file, path.toString(), bytes));
            Checksums.verify(file, bytes, path.toString());
            raw.put(file, bytes);
            sums.put(file, file.sha256());
        }
        byte[] trainImages = raw.get(MnistFile.TRAIN_IMAGES);
        byte[] trainLabels = raw.get(MnistFile.TRAIN_LABELS);
        int trainImagesAt = offsets.get(MnistFile.TRAIN_IMAGES);
        int trainLabelsAt = offsets.get(MnistFile.TRAIN_LABELS);
        int trainCount = MnistFile.TRAIN_IMAGES.count();
        DataSplit validation = new DataSplit("validation", trainImages, trainImagesAt, trainLabels, trainLabelsAt, 0, VALIDATION_SIZE);
        DataSplit train = new DataSplit("train", trainImages, trainImagesAt, trainLabels, trainLabelsAt,
                VALIDATION_SIZE, trainCount - VALIDATION_SIZE);
        DataSplit test = new DataSplit("test", raw.get(MnistFile.TEST_IMAGES), offsets.get(MnistFile.TEST_IMAGES),
                raw.get(MnistFile.TEST_LABELS), offsets.get(MnistFile.TEST_LABELS), 0, MnistFile.TEST_IMAGES.count());
        return new MnistDataset(train, validation, test, sums);
    }

    public DataSplit train() {
        return train;
    }

    public DataSplit validation() {
        return validation;
    }

    public DataSplit test() {
        return test;
    }

    /** The verified SHA-256 of each file, for model manifests. */
    public Map<MnistFile, String> sha256() {
        return sha256;
    }
}
