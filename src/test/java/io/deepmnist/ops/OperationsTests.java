package io.deepmnist.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient;
import io.deepmnist.ExternalTool;
import io.deepmnist.SystemTools;
import io.deepmnist.TestHome;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** Health, info, Prometheus and the API key, as an operator sees them. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OperationsTests {

    static final String KEY = "correct horse battery staple";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestHome.register(registry);
        registry.add("mnist.security.api-key", () -> KEY);
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    /** Actuator, on its own port, with the API key: an operator. */
    private ApiClient management() {
        return ApiClient.withHeader(managementPort, "X-API-Key", KEY);
    }

    private HttpResponse<String> call(String method, String path, String header, String value) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.ofString("{\"model\":\"softmax\",\"steps\":10}"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30));
        if (header != null) {
            request.header(header, value);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthReportsEachComponentWithDetailsAndTheProbesAreUp() {
        ApiClient api = new ApiClient(port);
        JsonNode health = management().get("/actuator/health").json();
        JsonNode components = health.get("components");
        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(components.get("tensorflow").get("details").get("version").asString()).isEqualTo("2.18.0");
        assertThat(components.get("tensorflow").get("details").get("trainingDevices")).isNotEmpty();
        assertThat(components.get("dataset").get("status").asString()).isEqualTo("UP");
        assertThat(components.get("dataset").get("details").has("directory")).isTrue();
        assertThat(components.get("jobStore").get("details").has("jobs")).isTrue();
        assertThat(components.get("model").get("details").has("defaultModel")).isTrue();
        assertThat(components.get("diskSpace").get("details").has("free")).isTrue();
        assertThat(management().get("/actuator/health/liveness").status()).isEqualTo(200);
        JsonNode readiness = management().get("/actuator/health/readiness").json();
        assertThat(readiness.get("status").asString()).isEqualTo("UP");
        assertThat(readiness.get("components").has("model")).isTrue();
        assertThat(readiness.get("components").has("tensorflow")).isTrue();
        assertThat(readiness.get("components").has("jobStore")).isTrue();

        JsonNode info = management().get("/actuator/info").json();
        assertThat(info.get("build").get("artifact").asString()).isEqualTo("deep-mnist-service");
        assertThat(info.get("tensorflow").get("nativeVersion").asString()).isEqualTo("2.18.0");
        assertThat(info.get("tensorflow").get("devices").toString()).contains("/device:CPU:0");
        assertThat(management().get("/actuator/env").status()).isEqualTo(404);
        // Actuator is not on the API port; the two probes are, under their short names.
        assertThat(api.get("/actuator/health").status()).isEqualTo(404);
        assertThat(api.get("/livez").status()).isEqualTo(200);
        assertThat(ApiClient.withHeader(port, "X-API-Key", KEY).get("/readyz").json().get("components").has("model")).isTrue();
    }

    @ExternalTool
    @Test
    void prometheusExposesTrainingAndPredictionMetricsInValidExpositionFormat() throws Exception {
        ApiClient api = new ApiClient(port);
        HttpResponse<String> submitted = call("POST", "/jobs", "X-API-Key", KEY);
        String id = ApiClient.parse(submitted.body()).get("id").asString();
        api.awaitJob(id, j -> j.get("state").asString().equals("SUCCEEDED"), Duration.ofSeconds(60));
        String pixels = "{\"pixels\":[" + "0,".repeat(700) + "1,".repeat(83) + "1]}";
        assertThat(api.post("/predict", pixels).status()).isEqualTo(200);

        String text = management().get("/actuator/prometheus").body();
        java.util.regex.Matcher steps = java.util.regex.Pattern
                .compile("deepmnist_training_steps_total\\{model=\"softmax\"} (\\d+)\\.0").matcher(text);
        assertThat(steps.find()).as(text).isTrue();
        assertThat(Integer.parseInt(steps.group(1))).as("steps counted, 10 per job").isGreaterThanOrEqualTo(10).matches(n -> n % 10 == 0);
        assertThat(text).contains("deepmnist_jobs{state=\"SUCCEEDED\"}");
        assertThat(text).contains("deepmnist_jobs_queue_depth");
        assertThat(text).contains("deepmnist_jobs_duration_seconds_count{model=\"softmax\",state=\"SUCCEEDED\"}");
        assertThat(text).contains("deepmnist_predict_latency_seconds_bucket{");
        for (String quantile : List.of("0.5", "0.95", "0.99")) {
            assertThat(text).containsPattern("deepmnist_predict_latency_quantiles_seconds\\{[^}]*outcome=\"success\"[^}]*quantile=\""
                    + quantile + "\"} [0-9.eE-]+\n");
        }
        assertThat(text).contains("deepmnist_predict_requests_total{");
        assertThat(text).contains("deepmnist_native_memory_tracked_bytes");

        PromtoolResult check = promtool(text);
        assertThat(check.output()).doesNotContain("error while linting").doesNotContain("parsing error");
        assertThat(check.exitCode()).as(check.output()).isIn(0, 3);
        assertThat(check.output().lines().filter(l -> l.startsWith("deepmnist"))).as("lint problems in our metrics").isEmpty();
    }

    record PromtoolResult(int exitCode, String output) {
    }

    /** promtool, the Prometheus project's own parser and linter. */
    static PromtoolResult promtool(String text) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(SystemTools.promtool().toString(), "check", "metrics").redirectErrorStream(true).start();
        try (var in = process.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new PromtoolResult(process.exitValue(), output);
    }

    static Stream<Arguments> mutatingRequests() {
        return Stream.of(
                Arguments.of("POST", "/jobs"),
                Arguments.of("POST", "/jobs/no-such-job/cancel"),
                Arguments.of("POST", "/jobs/no-such-job/resume"),
                Arguments.of("DELETE", "/jobs/no-such-job"),
                Arguments.of("POST", "/models/no-such-model/promote"),
                Arguments.of("DELETE", "/models/no-such-model"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("mutatingRequests")
    void mutatingRequestsNeedTheApiKey(String method, String path) throws Exception {
        HttpResponse<String> none = call(method, path, null, null);
        HttpResponse<String> wrong = call(method, path, "Authorization", "Bearer not-the-key");
        HttpResponse<String> wrongHeader = call(method, path, "X-API-Key", KEY + "x");
        HttpResponse<String> bearer = call(method, path, "Authorization", "Bearer " + KEY);
        HttpResponse<String> header = call(method, path, "X-API-Key", KEY);

        for (HttpResponse<String> refused : List.of(none, wrong, wrongHeader)) {
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(refused.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        }
        assertThat(none.body()).contains("needs the API key");
        assertThat(wrong.body()).contains("The API key is wrong");
        assertThat(bearer.statusCode()).isIn(202, 404);
        assertThat(header.statusCode()).isIn(202, 404);
    }

    /** With a key set, anyone may probe, but only the key shows details, metrics, info and Prometheus. */
    @Test
    void withAKeySetActuatorShowsOnlyStatusesWithoutIt() {
        ApiClient anyone = new ApiClient(managementPort);
        for (String probe : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
            ApiClient.Response response = anyone.get(probe);
            assertThat(response.status()).as(probe).isEqualTo(200);
            assertThat(response.json().get("status").asString()).as(probe).isEqualTo("UP");
            assertThat(response.json().has("components")).as(probe + " " + response.body()).isFalse();
        }
        JsonNode readyz = new ApiClient(port).get("/readyz").json();
        assertThat(readyz.has("components")).as(readyz.toString()).isFalse();
        JsonNode readyzWithKey = ApiClient.withHeader(port, "X-API-Key", KEY).get("/readyz").json();
        assertThat(readyzWithKey.get("components").has("model")).as(readyzWithKey.toString()).isTrue();
        for (String path : List.of("/actuator/info", "/actuator/metrics", "/actuator/prometheus", "/actuator/metrics/jvm.memory.used")) {
            ApiClient.Response refused = anyone.get(path);
            assertThat(refused.status()).as(path).isEqualTo(401);
            assertThat(refused.header("Content-Type")).as(path).startsWith("application/problem+json");
            assertThat(refused.json().get("detail").asString()).as(path).contains("needs the API key");
            assertThat(ApiClient.withHeader(managementPort, "Authorization", "Bearer wrong").get(path).status()).isEqualTo(401);
            assertThat(management().get(path).status()).as(path).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @MethodSource("malformedFormBodies")
    void aMalformedFormBodyIsAProblemDetailNotA500(String method, String path, int status) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.ofString("a=%zz"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-API-Key", KEY)
                .timeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    }

    @Test
    void whatTheFuzzFoundIsAProblemDetail() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> noBoundary = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/predict"))
                .POST(HttpRequest.BodyPublishers.ofString("abc")).header("Content-Type", "multipart/form-data").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noBoundary.statusCode()).as(noBoundary.body()).isEqualTo(400);
        assertThat(noBoundary.body()).contains("multipart body cannot be read");
        HttpResponse<String> badAccept = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jobs/nope"))
                .header("Accept", "-1").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(badAccept.statusCode()).isEqualTo(404);
        assertThat(badAccept.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(badAccept.body()).contains("There is no job 'nope'");
    }

    static Stream<Arguments> malformedFormBodies() {
        return Stream.of(
                Arguments.of("PUT", "/jobs/x/checkpoints", 405),
                Arguments.of("PATCH", "/jobs/x", 405),
                Arguments.of("DELETE", "/jobs/x/checkpoints", 405),
                Arguments.of("DELETE", "/jobs/no-such-job", 404),
                Arguments.of("PUT", "/models/x", 405));
    }

    /**
     * The series of a scrape, without their values. A summary's quantile lines are left out: they come and go
     * with its time window (an earlier test's predictions age out of it), and they belong to a series anyway.
     */
    private static Set<String> series(String scrape) {
        return scrape.lines().filter(l -> !l.startsWith("#") && !l.contains("quantile=\""))
                .map(l -> l.substring(0, l.lastIndexOf(' '))).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }

    @Test
    void predictionsForModelIdsThatDoNotExistAddNoMeterSeries() {
        ApiClient api = new ApiClient(port);
        String pixels = "{\"pixels\":[" + "0,".repeat(783) + "0]}";
        assertThat(api.post("/models/no-such-model/predict", pixels).status()).isEqualTo(404);
        management().get("/actuator/prometheus"); // the scrape's own request series exist from here on
        Set<String> before = series(management().get("/actuator/prometheus").body());
        List<String> ids = java.util.stream.IntStream.range(0, 200).mapToObj(i -> "random-" + java.util.UUID.randomUUID()).toList();
        for (String id : ids) {
            assertThat(api.post("/models/" + id + "/predict", pixels).status()).isEqualTo(404);
        }

        String after = management().get("/actuator/prometheus").body();
        Set<String> added = series(after);
        added.removeAll(before);
        // Only the series these requests feed: a job of another test of this context may still be adding its own.
        added.removeIf(series -> !series.startsWith("deepmnist_predict") && !series.startsWith("http_server_requests"));
        assertThat(added).as("series added by 200 unknown model ids").isEmpty();
        assertThat(ids).noneMatch(after::contains);
        assertThat(after).contains("deepmnist_predict_requests_total{model=\"unknown\",outcome=\"no_model\",protocol=\"predict\"}");
    }

    @Test
    void readsAndPredictionsStayOpenAndPathIdsCannotLeaveTheHome() throws Exception {
        assertThat(call("GET", "/jobs", null, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/models", null, null).statusCode()).isEqualTo(200);
        int predict = call("POST", "/predict", null, null).statusCode();
        assertThat(predict).isNotEqualTo(401);
        for (String path : List.of("/jobs/..%2F..%2Fetc", "/jobs/..%2F..%2Fetc/checkpoints", "/models/..%2F..%2Fetc",
                "/jobs/%2E%2E", "/models/%2E%2E/predict")) {
            int status = call("GET", path, null, null).statusCode();
            assertThat(status).as(path).isIn(400, 404, 405);
        }
    }
}
