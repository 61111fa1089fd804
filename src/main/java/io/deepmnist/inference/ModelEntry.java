package io.deepmnist.inference;

import io.deepmnist.engine.ModelManifest;
import java.nio.file.Path;

/**
 * A registered model: its manifest, where its SavedModel lies, and its version: its place in the registry,
 * given once and never reused, which the standard inference protocols name it by.
 */
public record ModelEntry(ModelManifest manifest, Path dir, long version) {

    /** A model read from disk that the registry has not numbered (tests, tools). */
    public ModelEntry(ModelManifest manifest, Path dir) {
        this(manifest, dir, 0);
    }

    public String id() {
        return manifest.modelId();
    }

    public double testAccuracy() {
        return manifest.testAccuracy() == null ? 0 : manifest.testAccuracy();
    }
}
