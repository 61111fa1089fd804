package io.deepmnist.web.openapi;

import io.deepmnist.web.http.ApiKeyInterceptor;
import io.deepmnist.web.http.RequestPaths;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * The standard protocols' operations as their clients need them documented: request bodies with examples
 * (the handlers read raw JSON, so springdoc cannot see them) and the protocols' own error object.
 */
@Component
class ProtocolDocumentation implements GlobalOpenApiCustomizer {

    private static final String ERROR = "ProtocolError";
    private static final Map<String, String> EXAMPLES = Map.of(
            "/v2", "v2-server.json", "/models/{name}", "v2-model.json", "/infer", "v2-infer.json",
            "/v1/models/{name}", "v1-status.json", "/metadata", "v1-metadata.json", ":predict", "v1-predict.json");
    private static final Map<String, Object> PROBE_EXAMPLES = Map.of(
            "/live", Map.of("live", true), "/v2/health/ready", Map.of("live", true, "ready", true),
            "/ready", Map.of("name", "mnist", "ready", true));

    private final OperationDocumentation own;

    ProtocolDocumentation(OperationDocumentation own) {
        this.own = own;
    }
    private static final Map<String, String> ERRORS = errors();

    private static Map<String, String> errors() {
        Map<String, String> errors = new LinkedHashMap<>();
        errors.put("400", "Bad input; the message says what to send instead");
        errors.put("404", "No model by that name, or no such version of it");
        errors.put("401", "Only with mnist.security.protect-predict: the request has no API key, or a wrong one");
        errors.put("413", "More than mnist.inference.max-images images, or a body over mnist.inference.max-request-size");
        errors.put("422", "Pixels out of range, or an image without a digit");
        errors.put("503", "No default model yet (for the name 'mnist'), or the job store is unreachable");
        return errors;
    }

    @Override
    public void customise(OpenAPI openApi) {
        boolean any = false;
        for (var path : openApi.getPaths().entrySet()) {
            if (!RequestPaths.isProtocol(path.getKey())) {
                continue;
            }
            any = true;
            for (var entry : path.getValue().readOperationsMap().entrySet()) {
                Operation operation = entry.getValue();
                boolean predict = ApiKeyInterceptor.isPredictionTemplate(path.getKey());
                List<String> codes = predict ? ERRORS.keySet().stream().filter(c -> !c.equals("401")).toList() : path.getKey().contains("{name}") ? List.of("404") : List.of();
                codes.forEach(code -> operation.getResponses().addApiResponse(code, error(code)));
                if (predict) {
                    operation.getResponses().addApiResponse("401", error("401"));
                }
                successMedia(operation).setExample(example(path.getKey()));
                if (path.getKey().endsWith("/ready") || path.getKey().endsWith("/live")) {
                    ApiResponse ok = operation.getResponses().get("200");
                    operation.getResponses().addApiResponse("503", new ApiResponse().content(ok.getContent())
                            .description("Not live or not ready (yet): the same object, with false"));
                }
                if (path.getKey().endsWith("/infer")) {
                    operation.setRequestBody(inferBody());
                } else if (path.getKey().endsWith(":predict")) {
                    operation.setRequestBody(predictBody());
                }
            }
        }
        if (any) {
            openApi.getComponents().addSchemas(ERROR, new ObjectSchema().description("The protocol's error object")
                    .addProperty("error", new StringSchema().description("What went wrong and what to send instead"))
                    .addRequiredItem("error"));
        }
    }

    private Object example(String path) {
        String versionless = path.replace("/versions/{version}", "").replace("/labels/{label}", "");
        for (var entry : PROBE_EXAMPLES.entrySet()) {
            if (versionless.endsWith(entry.getKey())) {
                return entry.getValue();
            }
        }
        return EXAMPLES.entrySet().stream().filter(e -> versionless.endsWith(e.getKey())).findFirst()
                .map(e -> own.read(e.getValue())).orElseThrow(() -> new IllegalStateException("no example for " + path));
    }

    private static MediaType successMedia(Operation operation) {
        return operation.getResponses().get("200").getContent().values().iterator().next();
    }

    private static ApiResponse error(String code) {
        return new ApiResponse().description(ERRORS.get(code)).content(new Content().addMediaType("application/json",
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + ERROR))
                        .example(Map.of("error", switch (code) {
                            case "400" -> "datatype 'INT32' is not accepted for 'images'; send FP32 (pixels in [0,1]), "
                                    + "UINT8 (0-255) or BYTES (image files in base64)";
                            case "401" -> "This request needs the API key: send Authorization: Bearer <key> or X-API-Key: <key>";
                            case "404" -> "There is no model 'mnist' version '9'; GET /models lists the models there are.";
                            case "413" -> "257 instances in one request; the limit is 256";
                            case "422" -> "data[17] is 3.5; FP32 pixels are in [0,1] (send 0-255 as UINT8)";
                            default -> "There is no default model yet. Train one (POST /jobs {\"model\":\"cnn\"}).";
                        }))));
    }

    private static RequestBody inferBody() {
        Schema<?> input = new ObjectSchema()
                .addProperty("name", new StringSchema()._enum(List.of("images")))
                .addProperty("datatype", new StringSchema()._enum(List.of("FP32", "UINT8", "BYTES")))
                .addProperty("shape", new ArraySchema().items(new IntegerSchema()).description("[N,784] (or [N,28,28]); BYTES: [N]"))
                .addProperty("data", new ArraySchema().items(new Schema<>()).description("Row-major, flat or nested"))
                .addProperty("parameters", new ObjectSchema().description("preprocess: true or false"))
                .required(List.of("name", "datatype", "shape", "data"));
        Schema<?> request = new ObjectSchema()
                .addProperty("id", new StringSchema().description("Echoed in the response (a UUID when absent)"))
                .addProperty("parameters", new ObjectSchema().description("preprocess: true or false, for every input"))
                .addProperty("inputs", new ArraySchema().items(input).minItems(1).maxItems(1))
                .addProperty("outputs", new ArraySchema().items(new ObjectSchema().addProperty("name",
                        new StringSchema()._enum(List.of("probabilities", "digits")))))
                .addRequiredItem("inputs");
        return new RequestBody().required(true).description("The Open Inference Protocol's inference request")
                .content(new Content().addMediaType("application/json", new MediaType().schema(request)
                        .addExamples("pixels", new Example().summary("FP32 pixels of one image, and both outputs").value(Map.of(
                                "id", "42",
                                "inputs", List.of(Map.of("name", "images", "datatype", "FP32", "shape", List.of(1, 784),
                                        "data", Collections.nCopies(784, 0))),
                                "outputs", List.of(Map.of("name", "probabilities"), Map.of("name", "digits")))))
                        .addExamples("image file", new Example().summary("A PNG in base64 (BYTES), preprocessed like /predict")
                                .value(Map.of("inputs", List.of(Map.of("name", "images", "datatype", "BYTES", "shape", List.of(1),
                                        "data", List.of("iVBORw0KGgo..."))))))));
    }

    private static RequestBody predictBody() {
        Schema<?> request = new ObjectSchema()
                .addProperty("signature_name", new StringSchema()._enum(List.of("serving_default")))
                .addProperty("instances", new ArraySchema().items(new Schema<>())
                        .description("Row format: one entry per image: 784 pixels, 28 rows of 28, {\"b64\": ...} or {\"images\": ...}"))
                .addProperty("inputs", new Schema<>().description("Columnar format: the batch, bare or as {\"images\": [...]}"));
        return new RequestBody().required(true).description("TensorFlow Serving's predict request")
                .content(new Content().addMediaType("application/json", new MediaType().schema(request)
                        .addExamples("instances", new Example().summary("Row format").value(Map.of(
                                "instances", List.of(Collections.nCopies(784, 0)))))
                        .addExamples("inputs", new Example().summary("Columnar format").value(Map.of(
                                "inputs", Map.of("images", List.of(Collections.nCopies(784, 0))))))
                        .addExamples("b64", new Example().summary("An image file in base64").value(Map.of(
                                "instances", List.of(Map.of("b64", "iVBORw0KGgo...")))))));
    }
}
