package io.deepmnist.web.predict;

import io.deepmnist.engine.ModelManifest;
import io.deepmnist.inference.ModelEntry;
import java.time.Instant;

/**
 * A registered model as the API shows it; {@code version} is its number in the registry, by which the Open
 * Inference Protocol and TF Serving endpoints can also name it.
 */
record ModelView(String id, long version, String jobId, String model, Double testAccuracy, Instant createdAt, boolean isDefault,
                 ModelManifest manifest) {

    static ModelView of(ModelEntry entry, String defaultId) {
        ModelManifest m = entry.manifest();
        return new ModelView(m.modelId(), entry.version(), m.jobId(), m.model(), m.testAccuracy(), m.createdAt(), m.modelId().equals(defaultId), m);
    }
}
