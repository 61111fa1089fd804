package io.deepmnist.web;

import static io.deepmnist.web.ProtocolBodies.assertEngineProbabilities;
import static io.deepmnist.web.ProtocolBodies.batch;
import static io.deepmnist.web.ProtocolBodies.pixels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.deepmnist.ApiClient;
import io.deepmnist.TrainsCnn;
import io.deepmnist.inference.TrainedModels;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The Open Inference Protocol (KServe V2) against the schemas of its specification, and against /predict. */
@TrainsCnn
class OpenInferenceProtocolTests extends ProtocolApiContext {

    private static final ProtocolSchemas SCHEMAS = ProtocolSchemas.OPEN_INFERENCE;
    private static final int N = TrainedModels.PROBE;

    private ApiClient.Response infer(String path, String body) {
        return api.post(path, body);
    }

    private static String request(String datatype, String shape, String data, String extra) {
        return "{\"id\":\"req-1\",\"inputs\":[{\"name\":\"images\",\"datatype\":\"" + datatype + "\",\"shape\":" + shape
                + ",\"data\":" + data + "}]" + extra + "}";
    }

    private JsonNode output(ApiClient.Response response, String name) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        SCHEMAS.assertConforms("inference_response", response.body());
        for (JsonNode output : response.json().get("outputs")) {
            if (output.get("name").asString().equals(name)) {
                return output;
            }
        }
        throw new AssertionError("no output " + name + " in " + response.body());
    }

    @Test
    void healthAndMetadataConformToTheSpecification() {
        SCHEMAS.assertConforms("live_server_response", api.get("/v2/health/live").body());
        ApiClient.Response ready = api.get("/v2/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        SCHEMAS.assertConforms("ready_server_response", ready.body());
        SCHEMAS.assertConforms("metadata_server_response", api.get("/v2").body());

        long cnn = version(TrainedModels.cnn().id());
        for (String path : List.of("/v2/models/mnist", "/v2/models/mnist/versions/" + cnn, "/v2/models/" + TrainedModels.cnn().id())) {
            ApiClient.Response metadata = api.get(path);
            assertThat(metadata.status()).as(path).isEqualTo(200);
            SCHEMAS.assertConforms("metadata_model_response", metadata.body());
            JsonNode body = metadata.json();
            assertThat(body.get("platform").asString()).isEqualTo("tensorflow_savedmodel");
            assertThat(body.get("inputs").get(0).toString()).isEqualTo("{\"name\":\"images\",\"datatype\":\"FP32\",\"shape\":[-1,784]}");
            assertThat(body.get("outputs").get(0).toString()).isEqualTo("{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[-1,10]}");
            assertThat(body.get("versions").toString()).contains("\"" + cnn + "\"");
            ApiClient.Response modelReady = api.get(path + "/ready");
            assertThat(modelReady.status()).isEqualTo(200);
            SCHEMAS.assertConforms("ready_model_response", modelReady.body());
        }
    }

    @Test
    void twoHundredTestDigitsGetTheEngineProbabilitiesAsPixelsBytesAndPngs() {
        String pngs = IntStream.range(0, N).mapToObj(i -> "\"" + ProtocolBodies.base64Png(i) + "\"")
                .collect(Collectors.joining(",", "[", "]"));
        List<String> requests = List.of(
                request("FP32", "[" + N + ",784]", batch(N, false, false, true), ""),
                request("FP32", "[" + N + ",28,28]", batch(N, false, true, false), ""),
                request("UINT8", "[" + N + ",784]", batch(N, true, false, false), ""),
                request("BYTES", "[" + N + "]", pngs, ",\"outputs\":[{\"name\":\"probabilities\"},{\"name\":\"digits\"}]"));
        for (String body : requests) {
            ApiClient.Response response = infer("/v2/models/mnist/infer", body);
            JsonNode probabilities = output(response, "probabilities");
            assertThat(probabilities.get("shape").toString()).isEqualTo("[" + N + ",10]");
            assertThat(response.json().get("id").asString()).isEqualTo("req-1");
            assertThat(response.json().get("model_version").asString()).isEqualTo(Long.toString(version(TrainedModels.cnn().id())));
            assertEngineProbabilities(probabilities.get("data"), N, true);
        }
        JsonNode digits = output(infer("/v2/models/mnist/infer", requests.get(3)), "digits");
        assertThat(digits.get("datatype").asString()).isEqualTo("INT64");
        JsonNode predict = api.post("/predict", "{\"instances\":" + batch(N, false, false, false) + "}").json().get("predictions");
        for (int i = 0; i < N; i++) {
            assertThat(digits.get("data").get(i).asInt()).isEqualTo(predict.get(i).get("digit").asInt());
        }
        assertEngineProbabilities(ProtocolBodies.field(predict, "probabilities"), N, false);
    }

    @Test
    void theNameMnistIsTheDefaultModelAndVersionsNameAnyModel() {
        String one = request("FP32", "[1,784]", pixels(0, false, false), "");
        long cnn = version(TrainedModels.cnn().id());
        long softmax = version(TrainedModels.softmax().id());
        assertThat(infer("/v2/models/mnist/infer", one).json().get("model_version").asString()).isEqualTo(Long.toString(cnn));
        assertThat(infer("/v2/models/mnist/versions/" + softmax + "/infer", one).json().get("model_version").asString())
                .isEqualTo(Long.toString(softmax));
        String anonymous = one.replace("\"id\":\"req-1\",", "");
        String first = infer("/v2/models/mnist/infer", anonymous).json().get("id").asString();
        String second = infer("/v2/models/mnist/infer", anonymous).json().get("id").asString();
        assertThat(UUID.fromString(first).version()).as("a request without an id gets one").isEqualTo(4);
        assertThat(second).isNotEqualTo(first);
        ApiClient.Response byId = infer("/v2/models/" + TrainedModels.softmax().id() + "/infer", one);
        assertThat(byId.json().get("model_name").asString()).isEqualTo(TrainedModels.softmax().id());
        assertThat(byId.json().get("model_version").asString()).isEqualTo(Long.toString(softmax));

        api.post("/models/" + TrainedModels.softmax().id() + "/promote", null);
        assertThat(infer("/v2/models/mnist/infer", one).json().get("model_version").asString()).isEqualTo(Long.toString(softmax));
    }

    @Test
    void badInputIsTheProtocolsErrorObjectNeverA500() {
        String one = pixels(0, false, false);
        String cnn = TrainedModels.cnn().id();
        record Case(String path, String body, int status, String says) {
        }
        List<Case> cases = List.of(
                new Case("/v2/models/mnist/infer", request("INT32", "[1,784]", one, ""), 400, "datatype 'INT32'"),
                new Case("/v2/models/mnist/infer", request("FP32", "[2,784]", one, ""), 400, "holds 1568 values but \"data\" has 784"),
                new Case("/v2/models/mnist/infer", request("FP32", "[1,10]", one, ""), 400, "[N,784]"),
                new Case("/v2/models/mnist/infer", request("UINT8", "[1,784]", one, ""), 422, "whole numbers 0-255"),
                new Case("/v2/models/mnist/infer", request("FP32", "[1,784]", pixels(0, true, false), ""), 422, "[0,1]"),
                new Case("/v2/models/mnist/infer", request("BYTES", "[1]", "[\"not an image!\"]", ""), 400, "base64"),
                new Case("/v2/models/mnist/infer", request("BYTES", "[1]", "[\"aGVsbG8=\"]", ""), 400, "not an image"),
                new Case("/v2/models/mnist/infer", request("FP32", "[1,784]", one, "").replace("\"images\"", "\"x\""), 400, "Unknown input 'x'"),
                new Case("/v2/models/mnist/infer", request("FP32", "[1,784]", one, ",\"outputs\":[{\"name\":\"logits\"}]"), 400, "Unknown output 'logits'"),
                new Case("/v2/models/mnist/infer", "{\"inputs\":[]}", 400, "one input"),
                new Case("/v2/models/mnist/infer", "not json", 400, "not JSON"),
                new Case("/v2/models/mnist/infer", "", 400, ""),
                new Case("/v2/models/nope/infer", request("FP32", "[1,784]", one, ""), 404, "no model 'nope'"),
                new Case("/v2/models/mnist/versions/999/infer", request("FP32", "[1,784]", one, ""), 404, "version '999'"),
                new Case("/v2/models/" + cnn + "/versions/abc/infer", request("FP32", "[1,784]", one, ""), 404, "version 'abc'"),
                new Case("/v2/models/nope", null, 404, "no model 'nope'"),
                new Case("/v2/models/nope/ready", null, 404, "no model 'nope'"),
                new Case("/v2/nothing/here", null, 404, ""));
        ApiClient.Response binary = api.sendWithHeader("/v2/models/mnist/infer", "Inference-Header-Content-Length", "120",
                request("FP32", "[1,784]", one, ""));
        assertThat(binary.status()).isEqualTo(400);
        SCHEMAS.assertConforms("error_response", binary.body());
        assertThat(binary.json().get("error").asString()).contains("binary tensor data extension");
        for (Case c : cases) {
            ApiClient.Response response = c.body() == null ? api.get(c.path()) : infer(c.path(), c.body());
            assertThat(response.status()).as("%s %s", c.path(), response.body()).isEqualTo(c.status());
            assertThat(response.header("Content-Type")).startsWith("application/json");
            SCHEMAS.assertConforms("error_response", response.body());
            assertThat(response.json().get("error").asString()).contains(c.says());
        }
    }

    @Test
    void requestsAreBatchedAndLimited() throws Exception {
        long[] before = batcherRunsAndImages();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<ApiClient.Response>> answers = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String body = request("FP32", "[1,784]", pixels(i, false, false), "");
                answers.add(clients.submit(() -> infer("/v2/models/mnist/infer", body)));
            }
            for (int i = 0; i < 64; i++) {
                JsonNode data = output(answers.get(i).get(), "probabilities").get("data");
                float[] expected = TrainedModels.cnn().probeProbabilities();
                for (int c = 0; c < 10; c++) {
                    assertThat(data.get(c).asDouble()).as("request %d", i).isCloseTo(expected[i * 10 + c], within(1e-5));
                }
            }
        } finally {
            clients.shutdown();
        }
        long[] after = batcherRunsAndImages();
        assertThat(after[1] - before[1]).isEqualTo(64);
        assertThat(after[0] - before[0]).as("session runs for 64 concurrent requests").isLessThan(64);

        String tooMany = request("FP32", "[257,784]", ProtocolBodies.copies(257, false), "");
        ApiClient.Response manyImages = infer("/v2/models/mnist/infer", tooMany);
        assertThat(manyImages.status()).as(manyImages.body()).isEqualTo(413);
        SCHEMAS.assertConforms("error_response", manyImages.body());
        assertThat(manyImages.json().get("error").asString()).contains("limit is 256");

        ApiClient.Response tooLarge = infer("/v2/models/mnist/infer", "{\"inputs\":[" + " ".repeat(6 * 1024 * 1024) + "]}");
        assertThat(tooLarge.status()).isEqualTo(413);
        SCHEMAS.assertConforms("error_response", tooLarge.body());
        assertThat(tooLarge.json().get("error").asString()).contains("max-request-size");
    }
}
