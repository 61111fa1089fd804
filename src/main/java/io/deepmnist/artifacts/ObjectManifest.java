package io.deepmnist.artifacts;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What one checkpoint or model consists of in the store, written after all its files: without it, the artifact
 * does not exist for a reader.
 *
 * @param kind  {@code checkpoint} or {@code model}
 * @param id    the job's id for a checkpoint, the model's id for a model
 * @param step  the checkpoint's step; for a model, 0
 * @param files relative to the artifact's prefix
 */
record ObjectManifest(String kind, String id, long step, List<File> files, Instant createdAt) {

    static final String CHECKPOINT = "checkpoint";
    static final String MODEL = "model";
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    ObjectManifest {
        files = List.copyOf(files);
    }

    record File(String name, long size, String sha256) {
    }

    long size() {
        return files.stream().mapToLong(File::size).sum();
    }

    byte[] toJson() {
        return JSON.writeValueAsBytes(this);
    }

    static ObjectManifest parse(byte[] json, String key) {
        try {
            return JSON.readValue(json, ObjectManifest.class);
        } catch (RuntimeException e) {
            throw new CorruptArtifactException("the manifest " + key + " cannot be read: " + e.getMessage());
        }
    }
}
