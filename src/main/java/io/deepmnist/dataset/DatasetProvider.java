package io.deepmnist.dataset;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads MNIST once per process, fetching it first when needed, and hands the same instance to every caller. */
public final class DatasetProvider {

    private static final Logger log = LoggerFactory.getLogger(DatasetProvider.class);

    private final Path dir;
    private final MnistAcquirer acquirer;
    private volatile MnistDataset dataset;

    public DatasetProvider(Path dir, MnistAcquirer acquirer) {
        this.dir = dir;
        this.acquirer = acquirer;
    }

    public Path directory() {
        return dir;
    }

    public boolean isLoaded() {
        return dataset != null;
    }

    /** The dataset; a failure is not remembered, so a later call tries again (say, after the files were added). */
    public MnistDataset get() {
        MnistDataset loaded = dataset;
        if (loaded == null) {
            synchronized (this) {
                loaded = dataset;
                if (loaded == null) {
                    acquirer.ensurePresent(dir);
                    long start = System.nanoTime();
                    loaded = MnistDataset.load(dir);
                    log.info("MNIST loaded and verified from {} in {} ms", dir, (System.nanoTime() - start) / 1_000_000);
                    dataset = loaded;
                }
            }
        }
        return loaded;
    }
}
