package io.deepmnist.jobs;

import io.deepmnist.config.MnistProperties;
import io.deepmnist.engine.ArtifactIds;
import io.deepmnist.engine.CheckpointStore;
import io.deepmnist.engine.FileTrees;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/** Where jobs and models live under {@code mnist.home}; ids are checked so no path can leave it. */
@Component
public class JobFiles {

    private final Path home;
    private final JobsProperties properties;

    JobFiles(MnistProperties mnist, JobsProperties properties) {
        this.home = mnist.home();
        this.properties = properties;
    }

    public CheckpointStore checkpoints(String jobId) {
        return new CheckpointStore(jobDir(jobId).resolve("checkpoints"), properties.keepCheckpoints());
    }

    public Path modelDir(String modelId) {
        return home.resolve("models").resolve(ArtifactIds.checked(modelId));
    }

    void deleteJob(String jobId) {
        FileTrees.delete(jobDir(jobId));
    }

    private Path jobDir(String jobId) {
        return home.resolve("jobs").resolve(ArtifactIds.checked(jobId));
    }
}
