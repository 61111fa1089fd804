package io.deepmnist.web.protocol;

import io.deepmnist.inference.ModelEntry;
import io.deepmnist.inference.ModelNotFoundException;
import io.deepmnist.inference.ModelRegistry;
import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * How the standard inference protocols name models. The name {@value #DEFAULT_NAME} is the default model (the
 * one {@code /predict} uses), and any registered model by its version; every model id is also a name, with its
 * own version as its only one. A version is the model's number in the registry, never reused.
 */
@Component
public class ServedModels {

    static final String DEFAULT_NAME = "mnist";

    /** A model asked for by name and, optionally, version; {@code modelId} null means the default model. */
    public record Target(String name, String modelId) {
    }

    private final ModelRegistry registry;

    ServedModels(ModelRegistry registry) {
        this.registry = registry;
    }

    public Target resolve(String name, String version) {
        if (DEFAULT_NAME.equals(name)) {
            if (version == null) {
                return new Target(name, null);
            }
            return new Target(name, registry.byVersion(parse(name, version))
                    .orElseThrow(() -> noVersion(name, version)).id());
        }
        ModelEntry entry = registry.get(name);
        if (version != null && parse(name, version) != entry.version()) {
            throw noVersion(name, version);
        }
        return new Target(name, entry.id());
    }

    /** The versions a name can be asked for, oldest first. */
    public List<String> versions(String name) {
        List<ModelEntry> entries = DEFAULT_NAME.equals(name) ? registry.list() : List.of(registry.get(name));
        return entries.stream().map(ModelEntry::version).sorted(Comparator.naturalOrder()).map(String::valueOf).toList();
    }

    /** The version of the model that answered; null if it was deleted in the meantime. */
    public String version(String modelId) {
        return registry.isRegistered(modelId) ? String.valueOf(registry.get(modelId).version()) : null;
    }

    /** The id of the model a target answers with now: its own, or the current default's (null if none). */
    public String modelId(Target target) {
        return target.modelId() != null ? target.modelId() : registry.defaultModelId().orElse(null);
    }

    /** The default model is ready once it is loaded; any other registered model is loaded when first asked. */
    public boolean ready(Target target) {
        return target.modelId() != null || registry.defaultModelId().isPresent() && registry.isDefaultReady();
    }

    private static long parse(String name, String version) {
        try {
            return Long.parseLong(version);
        } catch (NumberFormatException e) {
            throw noVersion(name, version);
        }
    }

    private static ModelNotFoundException noVersion(String name, String version) {
        return new ModelNotFoundException(name + "' version '" + version);
    }
}
