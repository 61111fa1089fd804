package io.deepmnist.engine;

import java.time.Instant;
import java.util.Map;

/**
 * What {@code manifest.json} beside a SavedModel records: enough to know what the model is and to train it again.
 *
 * @param datasetSha256 SHA-256 of each decompressed MNIST file it was trained and tested on
 */
public record ModelManifest(
        String modelId,
        String jobId,
        String model,
        Hyperparameters hyperparameters,
        int steps,
        Double validationAccuracy,
        Double testAccuracy,
        Map<String, String> datasetSha256,
        String tensorflowVersion,
        String tensorflowJavaVersion,
        Instant createdAt) {
}
