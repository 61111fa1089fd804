package io.deepmnist.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.DeepMnistApplication;
import io.deepmnist.web.http.ApiKeyInterceptor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * With an API key set, no mutating request runs without it, whatever its path looks like: path parameters
 * ({@code /jobs;x=:predict} reached {@code POST /jobs} as a "prediction" once), encoded separators, doubled
 * slashes, a trailing slash, dot segments. Every mutating operation of the OpenAPI document is tried with each
 * disguise, and at the end the service holds no job and no model. A failure prints jqwik's seed to replay it.
 */
class ApiKeyBypassTests {

    private static final String KEY = "bypass-test-key";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String JOB = "{\"model\":\"softmax\",\"steps\":1}";
    /** What a disguise adds to a path: each is tried at the end and inside the path. */
    private static final List<String> DISGUISES = List.of(";x=:predict", ";:predict", ";x=/predict", ";", ";a=b",
            "%3B:predict", "%3b:predict", "%2Fpredict", "%2fx:predict", "%2e", "%2E%2E", "/", "//", "/.", "/x/..",
            ":predict", "/predict", "%3A%70redict", "%00", "%2F");

    private static ConfigurableApplicationContext service;
    private static String base;
    private static List<Operation> mutating;

    record Operation(String method, String template) {

        String path(String value) {
            return template.replaceAll("\\{[^}]+}", value);
        }
    }

    @BeforeContainer
    static void start() throws IOException {
        Path home = Files.createTempDirectory("mnist-bypass-home");
        service = SpringApplication.run(DeepMnistApplication.class, "--server.port=0", "--management.server.port=0",
                "--mnist.home=" + home, "--mnist.mirrors=http://127.0.0.1:1/", "--mnist.download-timeout=2s",
                "--mnist.security.api-key=" + KEY, "--logging.level.root=WARN");
        base = "http://127.0.0.1:" + ((WebServerApplicationContext) service).getWebServer().getPort();
        JsonNode paths = JSON.readTree(send("GET", "/v3/api-docs", null).body()).get("paths");
        mutating = new ArrayList<>();
        paths.properties().forEach(p -> p.getValue().propertyNames().stream().map(String::toUpperCase)
                .filter(m -> List.of("POST", "PUT", "PATCH", "DELETE").contains(m))
                .filter(m -> !ApiKeyInterceptor.isPredictionTemplate(p.getKey()))
                .forEach(m -> mutating.add(new Operation(m, p.getKey()))));
        assertThat(mutating).extracting(Operation::template)
                .contains("/jobs", "/jobs/{id}/cancel", "/jobs/{id}/resume", "/jobs/{id}", "/models/{id}/promote", "/models/{id}");
    }

    @AfterContainer
    static void stop() {
        try {
            HttpResponse<String> jobs = send("GET", "/jobs", null);
            assertThat(JSON.readTree(jobs.body()).path("totalElements").asLong(-1)).as(jobs.body()).isZero();
            assertThat(JSON.readTree(send("GET", "/models", null).body())).as("models").isEmpty();
        } finally {
            service.close();
        }
    }

    @Example
    void theReportedBypassIsRefused() {
        for (String path : List.of("/jobs;x=:predict", "/jobs;:predict")) {
            HttpResponse<String> response = send("POST", path, JOB, "");
            assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(JSON.readTree(response.body()).path("detail").asString()).contains("path parameters");
        }
        assertThat(send("POST", "/jobs", JOB, "").statusCode()).isEqualTo(401);
    }

    /** The documentation's idea of which routes are predictions is the interceptor's, handler by handler. */
    @Example
    void theDocumentedPredictionRoutesAreTheAnnotatedHandlers() {
        RequestMappingHandlerMapping mapping = service.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
        int predictions = 0;
        for (var entry : mapping.getHandlerMethods().entrySet()) {
            RequestMappingInfo info = entry.getKey();
            HandlerMethod handler = entry.getValue();
            boolean annotated = ApiKeyInterceptor.isPrediction(handler);
            predictions += annotated ? 1 : 0;
            for (String pattern : info.getPatternValues()) {
                if (!info.getMethodsCondition().getMethods().isEmpty()
                        && info.getMethodsCondition().getMethods().stream().allMatch(m -> m.name().equals("GET"))) {
                    continue;
                }
                assertThat(ApiKeyInterceptor.isPredictionTemplate(pattern)).as(pattern + " " + handler).isEqualTo(annotated);
            }
        }
        assertThat(predictions).as("prediction handlers").isGreaterThanOrEqualTo(5);
    }

    @Property(tries = 400)
    void noMutatingRequestRunsWithoutTheKey(@ForAll("disguised") Call call) {
        HttpResponse<String> response;
        try {
            response = send(call.method(), call.path(), JOB, call.header());
        } catch (IllegalArgumentException notAUri) {
            return; // the client refuses to send it, so no server sees it
        }
        String where = call + " -> " + response.statusCode() + " " + response.body();
        assertThat(response.statusCode()).as(where).isBetween(400, 499);
    }

    record Call(String method, String path, String header) {
    }

    @Provide
    Arbitrary<Call> disguised() {
        Arbitrary<Operation> operation = Arbitraries.of(mutating);
        Arbitrary<String> value = Arbitraries.of("x", "softmax-1", "%2e%2e", "a;b", "%3B", "predict", ":predict");
        Arbitrary<String> disguise = Arbitraries.of(DISGUISES);
        Arbitrary<Integer> where = Arbitraries.integers().between(0, 8);
        Arbitrary<String> header = Arbitraries.of("", "X-API-Key: wrong", "Authorization: Bearer wrong", "Authorization: Basic x");
        return Combinators.combine(operation, value, disguise, where, header).as((op, v, d, at, h) -> {
            String path = op.path(v);
            int[] slashes = path.chars().filter(c -> c == '/').toArray();
            int cut = at == 0 ? path.length() : nthSlash(path, at % (slashes.length + 1));
            String disguisedPath = at == 1 && !d.startsWith("/") ? "/" + d + path : path.substring(0, cut) + d + path.substring(cut);
            return new Call(op.method(), disguisedPath.startsWith("/") ? disguisedPath : "/" + disguisedPath, h);
        });
    }

    /** Where the n-th '/' after the first stands, or the end of the path. */
    private static int nthSlash(String path, int n) {
        int at = 0;
        for (int i = 0; i < n; i++) {
            int next = path.indexOf('/', at + 1);
            if (next < 0) {
                return path.length();
            }
            at = next;
        }
        return at == 0 ? path.length() : at;
    }

    private static HttpResponse<String> send(String method, String path, String body) {
        return send(method, path, body, "X-API-Key: " + KEY);
    }

    private static HttpResponse<String> send(String method, String path, String body, String header) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (!header.isEmpty()) {
            request.header(header.substring(0, header.indexOf(':')), header.substring(header.indexOf(':') + 1).strip());
        }
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("no answer to " + method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
