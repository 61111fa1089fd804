package io.deepmnist.web.protocol.tfserving;

import io.deepmnist.dataset.MnistFile;
import io.deepmnist.engine.MnistModel;
import io.deepmnist.inference.Prediction;
import io.deepmnist.inference.PredictionProtocol;
import io.deepmnist.inference.Predictor;
import io.deepmnist.inference.TrafficRouter.Routed;
import io.deepmnist.web.http.ModelRouting;
import io.deepmnist.web.http.PredictionEndpoint;
import io.deepmnist.web.protocol.ProtocolBatch;
import io.deepmnist.web.protocol.ServedModels.Target;
import io.deepmnist.web.protocol.ServedModels;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * TensorFlow Serving's REST API over the same registry, batching and limits as {@code /predict}: model status,
 * metadata (the {@code serving_default} signature) and {@code :predict}. Errors are {@code {"error": "..."}}.
 */
@RestController
@Tag(name = "TensorFlow Serving REST", description = "TF Serving's REST API: status, metadata and :predict "
        + "(row and columnar formats, b64 images). Model name 'mnist' is the default model; each model id is also a name.")
class TfServingController {

    private final ServedModels models;
    private final Predictor predictor;
    private final JsonMapper json;
    private final ModelRouting routing;

    TfServingController(ServedModels models, Predictor predictor, JsonMapper json, ModelRouting routing) {
        this.models = models;
        this.predictor = predictor;
        this.json = json;
        this.routing = routing;
    }

    @GetMapping(path = {"/v1/models/{name}", "/v1/models/{name}/versions/{version}", "/v1/models/{name}/labels/{label}"},
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Model status: its versions, each AVAILABLE", description = "The name 'mnist' lists every "
            + "registered model's version (any can be asked for); a model id lists its own; a label (an alias) the one it names.")
    Map<String, Object> status(@PathVariable String name, @PathVariable(required = false) String version,
                               @PathVariable(required = false) String label) {
        Target target = target(name, version, label);
        String labelled = label != null ? models.version(target.modelId()) : null;
        List<String> versions = label != null ? (labelled == null ? List.of() : List.of(labelled))
                : version != null ? List.of(version) : models.versions(name);
        return Map.of("model_version_status", versions.stream().map(TfServingController::available).toList());
    }

    @GetMapping(path = {"/v1/models/{name}/metadata", "/v1/models/{name}/versions/{version}/metadata",
            "/v1/models/{name}/labels/{label}/metadata"}, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Model metadata: the serving_default signature", description = "Input 'images' DT_FLOAT "
            + "[-1,784], output 'probabilities' DT_FLOAT [-1,10]; model_spec.version is the version that answers now.")
    Map<String, Object> metadata(@PathVariable String name, @PathVariable(required = false) String version,
                                 @PathVariable(required = false) String label) {
        String served = models.modelId(target(name, version, label));
        served = served != null ? models.version(served) : null;
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", name);
        spec.put("signature_name", "");
        spec.put("version", served != null ? served : "");
        Map<String, Object> signature = Map.of(
                "inputs", Map.of(MnistModel.IMAGES, tensor(MnistModel.IMAGES, MnistFile.PIXELS)),
                "outputs", Map.of(MnistModel.PROBABILITIES, tensor(MnistModel.PROBABILITIES, MnistFile.CLASSES)),
                "method_name", "tensorflow/serving/predict");
        return Map.of("model_spec", spec, "metadata", Map.of("signature_def",
                Map.of("signature_def", Map.of(MnistModel.SERVING_SIGNATURE, signature))));
    }

    @PredictionEndpoint
    @PostMapping(path = {"/v1/models/{name}:predict", "/v1/models/{name}/versions/{version}:predict",
            "/v1/models/{name}/labels/{label}:predict"}, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Predict, in the row format (instances) or the columnar format (inputs)", description = """
            Each image is 784 pixels in [0,1] (flat, or 28 rows of 28), or an image file as {"b64": "..."}, which is \
            preprocessed like /predict's uploads. Answers {"predictions": [[10 probabilities], ...]} for instances and \
            {"outputs": [[...], ...]} for inputs.""")
    Map<String, Object> predict(@PathVariable String name, @PathVariable(required = false) String version,
                                @PathVariable(required = false) String label, HttpServletRequest http,
                                HttpServletResponse response) throws IOException {
        Target target = target(name, version, label);
        Routed routed = models.route(target, http::getHeader);
        TfServingRequest request = TfServingRequest.parse(ProtocolBatch.readJson(json, http));
        Predictor.Result result = request.batch().predict(predictor, PredictionProtocol.TF_SERVING, routed.model());
        routing.answered(http, response, result, routed);
        List<float[]> probabilities = result.predictions().stream().map(Prediction::probabilities).toList();
        return Map.of(request.columnar() ? "outputs" : "predictions", probabilities);
    }

    private Target target(String name, String version, String label) {
        return label != null ? models.label(name, label) : models.resolve(name, version);
    }

    private static Map<String, Object> available(String version) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("version", version);
        status.put("state", "AVAILABLE");
        status.put("status", Map.of("error_code", "OK", "error_message", ""));
        return status;
    }

    private static Map<String, Object> tensor(String name, int size) {
        return Map.of("dtype", "DT_FLOAT", "name", name + ":0", "tensor_shape", Map.of("unknown_rank", false,
                "dim", List.of(Map.of("size", "-1", "name", ""), Map.of("size", String.valueOf(size), "name", ""))));
    }

}
