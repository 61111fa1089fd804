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
        String defaultId = registry.defaultModelId().orElse(null);
        return registry.list().stream().map(m -> ModelView.of(m, defaultId)).toList();
    }

    @GetMapping("/{id}")
    @Operation(summary = "Read a model and its manifest",
            description = "The model's id, the job that trained it, its test accuracy, whether it is the default, and "
                    + "its manifest.")
    ModelView get(@PathVariable String id) {
        return ModelView.of(registry.get(id), registry.defaultModelId().orElse(null));
    }

    @PostMapping("/{id}/promote")
    @Operation(summary = "Make a model the default for /predict",
            description = "The model is loaded first, then swapped in atomically; requests in flight finish on the old one.")
    ModelView promote(@PathVariable String id) {
        return ModelView.of(registry.promote(id), id);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a model", description = "Not the default model (409): promote another one first.")
    void delete(@PathVariable String id) {
        registry.delete(id);
    }
}
