package io.deepmnist.web.predict;

import io.deepmnist.engine.ModelManifest;
import io.deepmnist.inference.ModelEntry;
import io.deepmnist.inference.ModelRegistry;
import java.time.Instant;
import java.util.List;

/**
 * A registered model as the API shows it; {@code version} is its number in the registry, by which the Open
 * Inference Protocol and TF Serving endpoints can also name it, as they can by each of its {@code aliases}.
 * {@code parentModelId} is the model a fine-tune started from.
 */
record ModelView(String id, long version, String jobId, String model, Double testAccuracy, Instant createdAt, boolean isDefault,
                 List<String> aliases, String parentModelId, ModelManifest manifest) {

    static ModelView of(ModelEntry entry, ModelRegistry registry) {
        ModelManifest m = entry.manifest();
        return new ModelView(m.modelId(), entry.version(), m.jobId(), m.model(), m.testAccuracy(), m.createdAt(),
                m.modelId().equals(registry.defaultModelId().orElse(null)), registry.aliasesOf(m.modelId()),
                m.parentModelId(), m);
    }
}
