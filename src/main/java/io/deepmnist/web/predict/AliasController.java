package io.deepmnist.web.predict;

import io.deepmnist.inference.AliasException;
import io.deepmnist.inference.ModelEntry;
import io.deepmnist.inference.ModelRegistry;
import io.deepmnist.inference.TrafficRouter;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/models/aliases", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Models")
class AliasController {

    /** The body of a PUT. */
    record AliasRequest(String modelId) {
    }

    /** An alias, the model it names and that model's version. */
    record AliasView(String alias, String modelId, long version) {
    }

    private final ModelRegistry registry;
    private final TrafficRouter traffic;

    AliasController(ModelRegistry registry, TrafficRouter traffic) {
        this.registry = registry;
        this.traffic = traffic;
    }

    @GetMapping
    @Operation(summary = "List the aliases",
            description = "Every alias and the model it names, 'default' among them (the model /predict answers with).")
    List<AliasView> list() {
        return registry.aliases().entrySet().stream().map(a -> view(a.getKey(), registry.get(a.getValue()))).toList();
    }

    @PutMapping(path = "/{alias}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Point an alias at a model",
            description = "For every replica at once. The alias then names the model in every API: /models/{alias}/predict, "
                    + "/v2/models/mnist/versions/{alias}/infer, /v1/models/mnist/labels/{alias}:predict, and the model_version "
                    + "of the gRPC ModelInfer. 'default' is a promotion. The model is loaded before the answer.")
    AliasView put(@PathVariable String alias, @RequestBody AliasRequest request) {
        if (request == null || request.modelId() == null || request.modelId().isBlank()) {
            throw AliasException.invalid("Send the model the alias names: {\"modelId\": \"<id>\"}");
        }
        return view(alias, registry.setAlias(alias, request.modelId()));
    }

    @DeleteMapping("/{alias}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove an alias", description = "Not 'default' (409): a promotion moves it; nor one that the "
            + "traffic policy uses (409).")
    void delete(@PathVariable String alias) {
        traffic.removeAlias(alias);
    }

    private static AliasView view(String alias, ModelEntry entry) {
        return new AliasView(alias, entry.id(), entry.version());
    }
}
