package io.deepmnist.web.protocol.oip;

import io.deepmnist.dataset.MnistFile;
import io.deepmnist.inference.Prediction;
import io.deepmnist.inference.PredictionProtocol;
import io.deepmnist.inference.Predictor;
import io.deepmnist.inference.TrafficRouter.Routed;
import io.deepmnist.web.http.ModelRouting;
import io.deepmnist.web.http.PredictionEndpoint;
import io.deepmnist.web.protocol.ProtocolBatch;
import io.deepmnist.web.protocol.ServedModels.Target;
import io.deepmnist.web.protocol.ServedModels;
import io.deepmnist.web.protocol.oip.OipResponses.InferResponse;
import io.deepmnist.web.protocol.oip.OipResponses.ModelMetadata;
import io.deepmnist.web.protocol.oip.OipResponses.ModelReady;
import io.deepmnist.web.protocol.oip.OipResponses.Output;
import io.deepmnist.web.protocol.oip.OipResponses.ServerMetadata;
import io.deepmnist.web.protocol.oip.OipResponses.TensorMetadata;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.info.BuildProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Open Inference Protocol (KServe V2, Triton's HTTP API) over the same registry, batching and limits as
 * {@code /predict}. Errors are the protocol's {@code {"error": "..."}} ({@code ProtocolErrorFilter}).
 */
@RestController
@Tag(name = "Open Inference Protocol", description = "KServe V2 / Triton REST: health, metadata and inference. "
        + "Model name 'mnist' is the default model; each model id is also a name; versions are the registry's numbers.")
class OipController {

    static final String PLATFORM = "tensorflow_savedmodel";
    private static final String BINARY_HEADER = "Inference-Header-Content-Length";
    private static final List<TensorMetadata> INPUTS = List.of(new TensorMetadata(OipInferRequest.INPUT, "FP32", List.of(-1L, (long) MnistFile.PIXELS)));
    private static final List<TensorMetadata> OUTPUTS = List.of(
            new TensorMetadata(OipInferRequest.PROBABILITIES, "FP32", List.of(-1L, (long) MnistFile.CLASSES)),
            new TensorMetadata(OipInferRequest.DIGITS, "INT64", List.of(-1L)));

    private final ServedModels models;
    private final Predictor predictor;
    private final HealthEndpoint health;
    private final JsonMapper json;
    private final String version;
    private final ModelRouting routing;

    OipController(ServedModels models, Predictor predictor, HealthEndpoint health, JsonMapper json,
                  ObjectProvider<BuildProperties> build, ModelRouting routing) {
        this.models = models;
        this.routing = routing;
        this.predictor = predictor;
        this.health = health;
        this.json = json;
        BuildProperties properties = build.getIfAvailable();
        this.version = properties != null ? properties.getVersion() : "unknown";
    }

    @GetMapping(path = "/v2/health/live", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Server live (the Actuator liveness probe)", description = "200 {\"live\":true}, or 503.")
    ResponseEntity<Map<String, Boolean>> live() {
        boolean up = isUp("liveness");
        return ResponseEntity.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("live", up));
    }

    @GetMapping(path = "/v2/health/ready", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Server ready (the Actuator readiness probe)",
            description = "200, or 503 while starting, without its default model loaded, or without its job store. The "
                    + "specification names the field 'live'; KServe and Triton say 'ready': both are given.")
    ResponseEntity<Map<String, Boolean>> ready() {
        boolean up = isUp("readiness");
        return ResponseEntity.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("live", up, "ready", up));
    }

    @GetMapping(path = "/v2", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Server metadata", description = "The server's name and version; no protocol extensions.")
    ServerMetadata server() {
        return new ServerMetadata("deep-mnist-service", version, List.of());
    }

    @GetMapping(path = {"/v2/models/{name}", "/v2/models/{name}/versions/{version}"}, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Model metadata: platform, versions, input and output tensors", description = "For the name "
            + "'mnist', the versions of every registered model; for a model id, its own version.")
    ModelMetadata metadata(@PathVariable String name, @PathVariable(required = false) String version) {
        models.resolve(name, version);
        return new ModelMetadata(name, models.versions(name), PLATFORM, INPUTS, OUTPUTS);
    }

    @GetMapping(path = {"/v2/models/{name}/ready", "/v2/models/{name}/versions/{version}/ready"}, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Model ready", description = "200 when the model can answer, 503 when not (yet); 404 for an unknown name.")
    ResponseEntity<ModelReady> modelReady(@PathVariable String name, @PathVariable(required = false) String version) {
        boolean ready = models.ready(models.resolve(name, version));
        return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(new ModelReady(name, ready));
    }

    @PredictionEndpoint
    @PostMapping(path = {"/v2/models/{name}/infer", "/v2/models/{name}/versions/{version}/infer"},
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Inference", description = """
            One input 'images': FP32 [N,784] pixels in [0,1], UINT8 [N,784] 0-255, or BYTES [N] image files \
            (PNG, JPEG, GIF, BMP) in base64, which are preprocessed like /predict's uploads. Outputs 'probabilities' \
            (FP32 [N,10], the default) and 'digits' (INT64 [N]) on request. parameters.preprocess overrides the \
            preprocessing (default: off for pixels, on for image files).""")
    InferResponse infer(@PathVariable String name, @PathVariable(required = false) String version, HttpServletRequest http,
                        HttpServletResponse response) throws IOException {
        Target target = models.resolve(name, version);
        if (http.getHeader(BINARY_HEADER) != null) {
            throw ProtocolBatch.rejected("The binary tensor data extension (%s) is not supported; send the tensors as JSON",
                    BINARY_HEADER);
        }
        OipInferRequest request = OipInferRequest.parse(ProtocolBatch.readJson(json, http));
        Routed routed = models.route(target, http::getHeader);
        Predictor.Result result = request.batch().predict(predictor, PredictionProtocol.OIP_REST, routed.model());
        routing.answered(http, response, result, routed);
        int count = result.predictions().size();
        List<Output> outputs = new ArrayList<>();
        for (String output : request.outputs()) {
            if (OipInferRequest.PROBABILITIES.equals(output)) {
                float[] data = new float[count * MnistFile.CLASSES];
                for (int i = 0; i < count; i++) {
                    System.arraycopy(result.predictions().get(i).probabilities(), 0, data, i * MnistFile.CLASSES, MnistFile.CLASSES);
                }
                outputs.add(new Output(output, "FP32", List.of((long) count, (long) MnistFile.CLASSES), data));
            } else {
                long[] digits = result.predictions().stream().mapToLong(Prediction::digit).toArray();
                outputs.add(new Output(output, "INT64", List.of((long) count), digits));
            }
        }
        return new InferResponse(name, models.version(result.modelId()), request.id(), outputs);
    }


    private boolean isUp(String group) {
        HealthDescriptor descriptor = health.healthForPath(group);
        return descriptor != null && Status.UP.equals(descriptor.getStatus());
    }
}
