package io.deepmnist.engine;

import java.time.Instant;
import java.util.Map;

/**
 * What {@code manifest.json} beside a SavedModel records: enough to know what the model is and to train it again.
 *
 * @param precision     what it was trained in, FP32 or BF16 (absent in manifests from before: FP32); its
 *                      inference sessions use it where {@code mnist.inference.precision} is {@code model}
 * @param datasetSha256 SHA-256 of each decompressed MNIST file it was trained and tested on
 * @param parentModelId the model whose weights its training started from; null for fresh weights
 */
public record ModelManifest(
        String modelId,
        String jobId,
        String model,
        Hyperparameters hyperparameters,
        Precision precision,
        int steps,
        Double validationAccuracy,
        Double testAccuracy,
        Map<String, String> datasetSha256,
        String tensorflowVersion,
        String tensorflowJavaVersion,
        Instant createdAt,
        String parentModelId) {

    /** A model trained from fresh weights. */
    public ModelManifest(String modelId, String jobId, String model, Hyperparameters hyperparameters, Precision precision, int steps,
                         Double validationAccuracy, Double testAccuracy, Map<String, String> datasetSha256, String tensorflowVersion,
                         String tensorflowJavaVersion, Instant createdAt) {
        this(modelId, jobId, model, hyperparameters, precision, steps, validationAccuracy, testAccuracy, datasetSha256,
                tensorflowVersion, tensorflowJavaVersion, createdAt, null);
    }

    /** The precision it was trained in; FP32 for a manifest written before the field existed. */
    public Precision trainedPrecision() {
        return precision == null ? Precision.FP32 : precision;
    }
}
