package io.deepmnist.jobs;

import io.deepmnist.engine.CheckpointStore;
import io.deepmnist.engine.FileTrees;
import io.deepmnist.system.MnistProperties;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/** Where jobs and models live under {@code mnist.home}; ids are checked so no path can leave it. */
@Component
public class JobFiles {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private final Path home;
    private final JobsProperties properties;

    JobFiles(MnistProperties mnist, JobsProperties properties) {
        this.home = mnist.home();
        this.properties = properties;
    }

    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public CheckpointStore checkpoints(String jobId) {
        return new CheckpointStore(jobDir(jobId).resolve("checkpoints"), properties.keepCheckpoints());
    }

    public Path modelDir(String modelId) {
        return home.resolve("models").resolve(checked(modelId));
    }

    void deleteJob(String jobId) {
        FileTrees.delete(jobDir(jobId));
    }

    private Path jobDir(String jobId) {
        return home.resolve("jobs").resolve(checked(jobId));
    }

    private static String checked(String id) {
        if (!isValidId(id)) {
            throw new IllegalArgumentException("not a valid id: " + id);
        }
        return id;
    }
}
