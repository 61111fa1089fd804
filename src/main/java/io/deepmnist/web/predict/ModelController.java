package io.deepmnist.web.predict;

import io.deepmnist.inference.ModelRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/models", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Models", description = "The models finished jobs exported, and which one answers /predict")
class ModelController {

    private final ModelRegistry registry;

    ModelController(ModelRegistry registry) {
        this.registry = registry;
    }

    @GetMapping
    @Operation(summary = "List models, newest first",
            description = "Every model a finished job exported, on any replica, with its test accuracy, whether it is "
                    + "the default for /predict, and its manifest (hyperparameters, dataset checksums, TensorFlow version).")
    List<ModelView> list() {
        return registry.list().stream().map(m -> ModelView.of(m, registry)).toList();
    }

    @GetMapping("/{id}")
    @Operation(summary = "Read a model and its manifest, by its id or an alias",
            description = "The model's id, the job that trained it, its test accuracy, whether it is the default, its "
                    + "aliases and its manifest.")
    ModelView get(@PathVariable String id) {
        return ModelView.of(registry.named(id), registry);
    }

    @PostMapping("/{id}/promote")
    @Operation(summary = "Make a model the default for /predict",
            description = "By its id or an alias (POST /models/challenger/promote). The model is loaded first, then swapped in "
                    + "atomically; requests in flight finish on the old one.")
    ModelView promote(@PathVariable String id) {
        return ModelView.of(registry.promote(registry.named(id).id()), registry);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a model", description = "By its id only. Not a model an alias names (409): promote another "
            + "one first, or point the alias elsewhere.")
    void delete(@PathVariable String id) {
        registry.delete(id);
    }
}
