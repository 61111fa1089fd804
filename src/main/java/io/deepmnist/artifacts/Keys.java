package io.deepmnist.artifacts;

import io.deepmnist.engine.ArtifactIds;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keys of a bucket, the same as the paths below a home: {@code jobs/{id}/checkpoints/ckpt-{step}.*} beside
 * {@code ckpt-{step}.manifest.json}, and {@code models/{id}/...} beside {@code models/{id}.manifest.json}.
 */
final class Keys {

    static final String JOBS = "jobs/";
    static final String MODELS = "models/";
    static final String MANIFEST_SUFFIX = ".manifest.json";
    private static final Pattern CHECKPOINT = Pattern.compile("ckpt-(\\d+)\\..+");

    private Keys() {
    }

    static String checkpoints(String jobId) {
        return JOBS + ArtifactIds.checked(jobId) + "/checkpoints/";
    }

    static String checkpointManifest(String jobId, long step) {
        return checkpoints(jobId) + "ckpt-" + step + MANIFEST_SUFFIX;
    }

    static String model(String modelId) {
        return MODELS + ArtifactIds.checked(modelId) + "/";
    }

    static String modelManifest(String modelId) {
        return MODELS + ArtifactIds.checked(modelId) + MANIFEST_SUFFIX;
    }

    /** The step of a checkpoint's file or manifest, from its name below the checkpoints' prefix. */
    static OptionalLong step(String name) {
        Matcher m = CHECKPOINT.matcher(name);
        return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    /** The job or model id that a key below {@code jobs/} or {@code models/} belongs to. */
    static String owner(String key, String root) {
        String rest = key.substring(root.length());
        int slash = rest.indexOf('/');
        String first = slash < 0 ? rest : rest.substring(0, slash);
        return first.endsWith(MANIFEST_SUFFIX) ? first.substring(0, first.length() - MANIFEST_SUFFIX.length()) : first;
    }
}
