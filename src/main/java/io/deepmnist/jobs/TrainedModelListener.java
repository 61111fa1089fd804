package io.deepmnist.jobs;

import io.deepmnist.engine.ModelManifest;
import java.nio.file.Path;

/** Told about each model a job exports, after the job is SUCCEEDED: the seam for a model registry. */
public interface TrainedModelListener {

    /** @param promote the job asked for its model to become the default whatever its accuracy */
    void onModelExported(ModelManifest manifest, Path modelDir, boolean promote);
}
