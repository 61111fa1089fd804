package io.deepmnist.web;

import static io.deepmnist.web.ProtocolBodies.assertEngineProbabilities;
import static io.deepmnist.web.ProtocolBodies.batch;
import static io.deepmnist.web.ProtocolBodies.pixels;
import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient;
import io.deepmnist.TrainsCnn;
import io.deepmnist.inference.TrainedModels;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** TensorFlow Serving's REST API against the shapes of its API guide, and against the engine's own answers. */
@TrainsCnn
class TensorFlowServingProtocolTests extends ProtocolApiContext {

    private static final ProtocolSchemas SCHEMAS = ProtocolSchemas.TF_SERVING;
    private static final int N = TrainedModels.PROBE;

    @Test
    void statusAndMetadataHaveTheShapesOfTfServing() {
        String cnn = TrainedModels.cnn().id();
        long version = version(cnn);
        for (String name : List.of("mnist", cnn)) {
            ApiClient.Response status = api.get("/v1/models/" + name);
            assertThat(status.status()).as(status.body()).isEqualTo(200);
            SCHEMAS.assertConforms("model_status_response", status.body());
            assertThat(status.json().get("model_version_status").valueStream()
                    .filter(v -> v.get("version").asString().equals(Long.toString(version))).findFirst().orElseThrow()
                    .get("state").asString()).isEqualTo("AVAILABLE");
            ApiClient.Response metadata = api.get("/v1/models/" + name + "/versions/" + version + "/metadata");
            assertThat(metadata.status()).as(metadata.body()).isEqualTo(200);
            SCHEMAS.assertConforms("model_metadata_response", metadata.body());
            JsonNode signature = metadata.json().at("/metadata/signature_def/signature_def/serving_default");
            assertThat(signature.at("/inputs/images/dtype").asString()).isEqualTo("DT_FLOAT");
            assertThat(signature.at("/inputs/images/tensor_shape/dim/1/size").asString()).isEqualTo("784");
            assertThat(signature.at("/outputs/probabilities/tensor_shape/dim/1/size").asString()).isEqualTo("10");
            assertThat(metadata.json().at("/model_spec/version").asString()).isEqualTo(Long.toString(version));
        }
        SCHEMAS.assertConforms("model_status_response", api.get("/v1/models/mnist/versions/" + version).body());
    }

    @Test
    void twoHundredTestDigitsGetTheEngineProbabilitiesInEveryFormat() {
        String named = IntStream.range(0, N).mapToObj(i -> "{\"images\":" + pixels(i, false, true) + "}")
                .collect(Collectors.joining(",", "[", "]"));
        String b64 = IntStream.range(0, N).mapToObj(i -> "{\"b64\":\"" + ProtocolBodies.base64Png(i) + "\"}")
                .collect(Collectors.joining(",", "[", "]"));
        record Format(String body, String answer) {
        }
        List<Format> formats = List.of(
                new Format("{\"instances\":" + batch(N, false, false, false) + "}", "predictions"),
                new Format("{\"signature_name\":\"serving_default\",\"instances\":" + named + "}", "predictions"),
                new Format("{\"instances\":" + b64 + "}", "predictions"),
                new Format("{\"inputs\":" + batch(N, false, true, false) + "}", "outputs"),
                new Format("{\"inputs\":{\"images\":" + batch(N, false, false, false) + "}}", "outputs"),
                new Format("{\"inputs\":{\"images\":" + b64 + "}}", "outputs"));
        for (Format format : formats) {
            ApiClient.Response response = api.post("/v1/models/mnist:predict", format.body());
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            SCHEMAS.assertConforms("predictions".equals(format.answer()) ? "predict_row_response" : "predict_columnar_response",
                    response.body());
            assertEngineProbabilities(response.json().get(format.answer()), N, false);
        }
        ApiClient.Response curlD = api.send("POST", "/v1/models/mnist:predict", "application/x-www-form-urlencoded",
                formats.get(0).body());
        assertThat(curlD.status()).as("TF Serving's own examples use curl -d, a form's content type").isEqualTo(200);
        assertEngineProbabilities(curlD.json().get("predictions"), N, false);
        String versioned = "/v1/models/mnist/versions/" + version(TrainedModels.softmax().id()) + ":predict";
        JsonNode softmax = api.post(versioned, "{\"instances\":[" + pixels(0, false, false) + "]}").json().get("predictions");
        JsonNode byId = api.post("/v1/models/" + TrainedModels.softmax().id() + ":predict",
                "{\"instances\":[" + pixels(0, false, false) + "]}").json().get("predictions");
        assertThat(softmax).isEqualTo(byId);
        assertThat(softmax.get(0).get(0).asDouble()).isNotEqualTo(TrainedModels.cnn().probeProbabilities()[0]);
    }

    @Test
    void badInputIsTheErrorObjectNeverA500() {
        String one = pixels(0, false, false);
        record Case(String path, String body, int status, String says) {
        }
        List<Case> cases = List.of(
                new Case("/v1/models/mnist:predict", "{\"instances\":[" + one + "],\"signature_name\":\"classify\"}", 400, "classify"),
                new Case("/v1/models/mnist:predict", "{\"instances\":[" + one + "],\"inputs\":[" + one + "]}", 400, "not both"),
                new Case("/v1/models/mnist:predict", "{}", 400, "either"),
                new Case("/v1/models/mnist:predict", "{\"instances\":[{\"pixels\":" + one + "}]}", 400, "only input is 'images'"),
                new Case("/v1/models/mnist:predict", "{\"inputs\":{\"x\":[" + one + "]}}", 400, "only input is 'images'"),
                new Case("/v1/models/mnist:predict", "{\"instances\":[[1,2,3]]}", 400, "784"),
                new Case("/v1/models/mnist:predict", "{\"instances\":[" + one.replaceFirst("0\\.0", "\"a\"") + "]}", 400, "numbers"),
                new Case("/v1/models/mnist:predict", "{\"instances\":[" + one + ",{\"b64\":\"" + ProtocolBodies.base64Png(0) + "\"}]}", 400, "mixes"),
                new Case("/v1/models/mnist:predict", "{\"instances\":[{\"b64\":\"#!\"}]}", 400, "not base64"),
                new Case("/v1/models/mnist:predict", "{\"instances\":" + ProtocolBodies.copies(257, true) + "}", 413, "limit is 256"),
                new Case("/v1/models/mnist:predict", "{\"instances\":[" + " ".repeat(6 * 1024 * 1024) + "]}", 413, "max-request-size"),
                new Case("/v1/models/mnist:predict", "[1,2", 400, "not JSON"),
                new Case("/v1/models/nope:predict", "{\"instances\":[" + one + "]}", 404, "no model 'nope'"),
                new Case("/v1/models/mnist/versions/999:predict", "{\"instances\":[" + one + "]}", 404, "version '999'"),
                new Case("/v1/models/nope", null, 404, "no model 'nope'"),
                new Case("/v1/models/mnist/versions/x/metadata", null, 404, "version 'x'"));
        for (Case c : cases) {
            ApiClient.Response response = c.body() == null ? api.get(c.path()) : api.post(c.path(), c.body());
            assertThat(response.status()).as("%s %s", c.path(), response.body()).isEqualTo(c.status());
            SCHEMAS.assertConforms("error_response", response.body());
            assertThat(response.json().get("error").asString()).contains(c.says());
        }
    }

    @Test
    void predictionsAreBatched() throws Exception {
        long[] before = batcherRunsAndImages();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<ApiClient.Response>> answers = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String body = "{\"instances\":[" + pixels(i, false, false) + "]}";
                answers.add(clients.submit(() -> api.post("/v1/models/mnist:predict", body)));
            }
            for (int i = 0; i < 64; i++) {
                ApiClient.Response response = answers.get(i).get();
                assertThat(response.status()).as(response.body()).isEqualTo(200);
                float[] expected = TrainedModels.cnn().probeProbabilities();
                assertThat(response.json().get("predictions").get(0).get(7).asDouble())
                        .isCloseTo(expected[i * 10 + 7], org.assertj.core.api.Assertions.within(1e-5));
            }
        } finally {
            clients.shutdown();
        }
        long[] after = batcherRunsAndImages();
        assertThat(after[1] - before[1]).isEqualTo(64);
        assertThat(after[0] - before[0]).as("session runs for 64 concurrent requests").isLessThan(64);
    }
}
