package io.deepmnist.dataset;

import java.nio.file.Path;
import java.util.List;

/**
 * The real MNIST for tests, loaded once per test JVM. The Maven build fetches it before the tests run; when
 * it is missing, every test that needs it fails with the remedy instead of being skipped.
 */
public final class RealMnist {

    private static volatile MnistDataset dataset;

    private RealMnist() {
    }

    public static Path directory() {
        return MnistHome.datasetDir(MnistHome.resolve(System.getProperty("mnist.home", MnistHome.DEFAULT)));
    }

    public static synchronized MnistDataset get() {
        if (dataset == null) {
            dataset = new DatasetProvider(directory(), new MnistAcquirer(List.of())).get();
        }
        return dataset;
    }
}
