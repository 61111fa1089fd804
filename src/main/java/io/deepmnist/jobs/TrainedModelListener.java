package io.deepmnist.jobs;

import io.deepmnist.engine.ModelManifest;
import java.nio.file.Path;

/** Told about each model a job exports, after the job is SUCCEEDED: the seam for a model registry. */
public interface TrainedModelListener {

    void onModelExported(ModelManifest manifest, Path modelDir);
}
