package io.deepmnist.inference;

import io.deepmnist.engine.ArtifactIds;
import io.deepmnist.engine.ModelExporter;
import io.deepmnist.engine.ModelManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Homes from before the registry lived in the job store: their models were only directories under
 * {@code models/}, and the default was named in the file {@code models/default}.
 */
final class LegacyModels {

    private static final Logger log = LoggerFactory.getLogger(LegacyModels.class);
    private static final String DEFAULT_FILE = "default";

    private LegacyModels() {
    }

    /** Registers the models found on disk that the store does not know yet, such as those of a home from before. */
    static void importInto(Path dir, RegistryStore store) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : children.filter(p -> Files.isRegularFile(p.resolve(ModelExporter.MANIFEST))).toList()) {
                try {
                    ModelManifest manifest = ModelExporter.readManifest(child);
                    if (manifest.modelId().equals(child.getFileName().toString())) {
                        store.add(manifest.modelId(), manifest.createdAt());
                    }
                } catch (RuntimeException e) {
                    log.warn("Skipping {}: its manifest cannot be read ({})", child, e.getMessage());
                }
            }
            Path pointer = dir.resolve(DEFAULT_FILE);
            if (Files.isRegularFile(pointer) && store.read().defaultId().isEmpty()) {
                String id = Files.readString(pointer, StandardCharsets.UTF_8).strip();
                if (ArtifactIds.isValid(id) && Files.isDirectory(dir.resolve(id))) {
                    store.setAlias(RegistryStore.DEFAULT, id);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the models in " + dir + ": " + e.getMessage(), e);
        }
    }
}
