package io.deepmnist.jobs;

import io.deepmnist.engine.ModelManifest;
import java.nio.file.Path;

/**
 * Told about each model a job exports, before the job is stored SUCCEEDED, so that whoever sees the job succeed
 * can use its model: the seam for a model registry. If it throws, it must leave nothing registered; the job then
 * FAILS, its exported files are deleted, and resuming it exports the model again.
 */
public interface TrainedModelListener {

    /**
     * @param promote the job asked for its model to become the default whatever its accuracy
     * @param alias   the alias the job asked to name its model; null for none
     */
    void onModelExported(ModelManifest manifest, Path modelDir, boolean promote, String alias);
}
