package io.deepmnist.dataset;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fills a directory with the MNIST files from the first source that can provide them. */
public final class MnistAcquirer {

    private static final Logger log = LoggerFactory.getLogger(MnistAcquirer.class);

    private final List<MnistSource> sources;

    public MnistAcquirer(List<MnistSource> sources) {
        this.sources = List.copyOf(sources);
    }

    /** Returns when all four files are in {@code dir}; otherwise throws, naming the directory and the remedies. */
    public void ensurePresent(Path dir) {
        Set<MnistFile> missing = DatasetFiles.missingIn(dir);
        if (missing.isEmpty()) {
            return;
        }
        List<String> failures = new ArrayList<>();
        for (MnistSource source : sources) {
            log.info("MNIST files {} missing from {}; fetching them from {}", missing, dir, source.description());
            try {
                source.fetch(dir, missing);
            } catch (RuntimeException e) {
                log.warn("{} failed: {}", source.description(), e.getMessage());
                failures.add(source.description() + ": " + e.getMessage());
            }
            missing = DatasetFiles.missingIn(dir);
            if (missing.isEmpty()) {
                log.info("MNIST files are in {}", dir);
                return;
            }
        }
        throw new DatasetUnavailableException(dir, failures.isEmpty() ? "no source is configured" : String.join("; ", failures));
    }
}
