package io.deepmnist.web.protocol;

import io.deepmnist.inference.ModelEntry;
import io.deepmnist.inference.ModelNotFoundException;
import io.deepmnist.inference.ModelRegistry;
import io.deepmnist.inference.Predictor;
import io.deepmnist.inference.TrafficRouter.Routed;
import io.deepmnist.inference.TrafficRouter;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * How the standard inference protocols name models. The name {@value #DEFAULT_NAME} is the default model (the
 * one {@code /predict} uses), and any registered model by its version or an alias; every model id and alias is also
 * a name, with its model's version as its only one. A version is the model's number in the registry, never reused.
 */
@Component
public class ServedModels {

    static final String DEFAULT_NAME = "mnist";

    /**
     * A model asked for by name and, optionally, version; {@code modelId} null means the default name, which the
     * traffic policy routes. {@code alias}: the alias that named it, or null.
     */
    public record Target(String name, String modelId, String alias) {
    }

    private final ModelRegistry registry;
    private final ObjectProvider<TrafficRouter> routers;
    /** Looked up once: {@link ObjectProvider#getIfAvailable()} resolves the dependency by reflection on every call. */
    private volatile TrafficRouter router;

    /** The router is optional: a web slice without the inference layer routes every request where it asks. */
    ServedModels(ModelRegistry registry, ObjectProvider<TrafficRouter> routers) {
        this.registry = registry;
        this.routers = routers;
    }

    private TrafficRouter router() {
        TrafficRouter found = router;
        if (found == null) {
            found = routers.getIfAvailable();
            router = found;
        }
        return found;
    }

    /**
     * A model by name and version: a version is a model's number or, under {@value #DEFAULT_NAME}, an alias too
     * ({@code /v2/models/mnist/versions/challenger}). Any other name is a model's id or an alias.
     */
    public Target resolve(String name, String version) {
        if (DEFAULT_NAME.equals(name)) {
            if (version == null) {
                return new Target(name, null, null);
            }
            if (!isNumber(version)) {
                return byAlias(name, version, () -> noVersion(name, version));
            }
            return new Target(name, registry.byVersion(parse(name, version))
                    .orElseThrow(() -> noVersion(name, version)).id(), null);
        }
        ModelEntry entry = registry.named(name);
        if (version != null && parse(name, version) != entry.version()) {
            throw noVersion(name, version);
        }
        return new Target(name, entry.id(), entry.id().equals(name) ? null : name);
    }

    /** TF Serving's version label ({@code /v1/models/mnist/labels/challenger}): an alias, under {@value #DEFAULT_NAME} only. */
    public Target label(String name, String label) {
        Supplier<ModelNotFoundException> none = () -> new ModelNotFoundException(name + "' label '" + label);
        if (!DEFAULT_NAME.equals(name)) {
            throw none.get();
        }
        return byAlias(name, label, none);
    }

    private Target byAlias(String name, String alias, Supplier<ModelNotFoundException> none) {
        String id = registry.aliases().get(alias);
        if (id == null) {
            throw none.get();
        }
        return new Target(name, id, alias);
    }

    /**
     * Where a request for the target goes: the default name by the traffic policy, with the value of its sticky
     * header from {@code headers}; any other target to itself.
     */
    public Routed route(Target target, Function<String, String> headers) {
        if (target.modelId() != null) {
            return new Routed(target.modelId(), target.alias(), null);
        }
        TrafficRouter traffic = router();
        if (traffic == null) {
            return new Routed(null, null, null);
        }
        return traffic.route(null, headers);
    }

    /** The versions a name can be asked for, oldest first. */
    public List<String> versions(String name) {
        List<ModelEntry> entries = DEFAULT_NAME.equals(name) ? registry.list() : List.of(registry.named(name));
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

    /**
     * After a request was answered: its copy for the policy's shadow, if any, and its images in the prediction log.
     *
     * @return the images' prediction ids, in order (null where one was not logged); empty without a log
     */
    public List<String> answered(Routed routed, Predictor.Result result) {
        TrafficRouter traffic = router();
        return traffic == null ? List.of() : traffic.answered(routed, result, true);
    }

    private static boolean isNumber(String version) {
        return !version.isEmpty() && version.chars().allMatch(Character::isDigit);
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
