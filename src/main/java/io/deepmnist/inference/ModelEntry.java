package io.deepmnist.inference;

import io.deepmnist.engine.ModelManifest;
import java.nio.file.Path;

/** A registered model: its manifest and where its SavedModel lies. */
public record ModelEntry(ModelManifest manifest, Path dir) {

    public String id() {
        return manifest.modelId();
    }

    public double testAccuracy() {
        return manifest.testAccuracy() == null ? 0 : manifest.testAccuracy();
    }
}
