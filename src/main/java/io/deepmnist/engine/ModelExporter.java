package io.deepmnist.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes {@code models/{modelId}/}: the SavedModel and its {@code manifest.json}. Both are written under a
 * temporary name and the directory is renamed at the end, so a model directory is either complete or absent.
 */
public final class ModelExporter {

    public static final String MANIFEST = "manifest.json";
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ModelExporter() {
    }

    public static Path export(MnistModel model, Path modelDir, ModelManifest manifest) {
        Path staging = modelDir.resolveSibling(".tmp-" + modelDir.getFileName());
        try {
            FileTrees.delete(staging);
            Files.createDirectories(staging.getParent());
            model.exportSavedModel(staging);
            JSON.writeValue(staging.resolve(MANIFEST).toFile(), manifest);
            Files.move(staging, modelDir, StandardCopyOption.ATOMIC_MOVE);
            return modelDir;
        } catch (IOException e) {
            FileTrees.delete(staging);
            throw new UncheckedIOException("cannot export the model to " + modelDir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            FileTrees.delete(staging);
            throw e;
        }
    }

    public static ModelManifest readManifest(Path modelDir) {
        return JSON.readValue(modelDir.resolve(MANIFEST).toFile(), ModelManifest.class);
    }

    /** A {@code manifest.json} read from elsewhere, such as an object store. */
    public static ModelManifest readManifest(byte[] json) {
        return JSON.readValue(json, ModelManifest.class);
    }
}
