package io.deepmnist.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient;
import io.deepmnist.SharedHome;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The OpenAPI document that Swagger UI shows describes every job endpoint, the SSE stream and the errors. */
@SharedHome.Service
class ApiDocsTests {

    @LocalServerPort
    int port;

    @Test
    void documentsTheJobsApi() {
        ApiClient api = new ApiClient(port);
        JsonNode docs = api.get("/v3/api-docs").json();
        JsonNode paths = docs.get("paths");

        assertThat(docs.get("info").get("title").asString()).isEqualTo("deep-mnist-service");
        assertThat(paths.has("/jobs")).isTrue();
        assertThat(paths.get("/jobs").has("post")).isTrue();
        assertThat(paths.get("/jobs").get("post").get("responses").has("429")).isTrue();
        assertThat(paths.get("/jobs").get("post").get("requestBody").get("content").get("application/json").has("examples")).isTrue();
        assertThat(paths.has("/jobs/{id}/cancel")).isTrue();
        assertThat(paths.has("/jobs/{id}/resume")).isTrue();
        assertThat(paths.has("/jobs/{id}/checkpoints")).isTrue();
        assertThat(paths.get("/jobs/{id}").has("delete")).isTrue();
        assertThat(paths.get("/jobs/{id}/events").get("get").get("responses").get("200").get("content").has("text/event-stream")).isTrue();
        assertThat(paths.get("/jobs/{id}").get("get").get("responses").get("404").get("content").has("application/problem+json")).isTrue();
        JsonNode predict = paths.get("/predict").get("post").get("requestBody").get("content");
        assertThat(predict.has("multipart/form-data")).isTrue();
        assertThat(predict.has("image/png")).isTrue();
        assertThat(predict.has("image/jpeg")).isTrue();
        assertThat(predict.get("application/json").has("examples")).isTrue();
        assertThat(paths.get("/predict").get("post").get("responses").has("422")).isTrue();
        assertThat(paths.get("/predict").get("post").get("responses").has("503")).isTrue();
        assertThat(paths.has("/models/{id}/predict")).isTrue();
        assertThat(paths.has("/models/{id}/promote")).isTrue();
        assertThat(api.get("/swagger-ui/index.html").status()).isEqualTo(200);
    }

    @Test
    void eachStandardProtocolHasItsOwnGroupInSwaggerUi() {
        ApiClient api = new ApiClient(port);
        JsonNode config = api.get("/v3/api-docs/swagger-config").json();
        assertThat(config.get("urls").valueStream().map(u -> u.get("url").asString()).toList()).containsExactlyInAnyOrder(
                "/v3/api-docs/deep-mnist", "/v3/api-docs/open-inference-protocol", "/v3/api-docs/tensorflow-serving");
        assertThat(config.get("urls.primaryName").asString()).as("the group Swagger UI opens with").isEqualTo("deep-mnist-service API");
        assertThat(api.get("/v3/api-docs/open-inference-protocol").json().get("paths").propertyNames())
                .contains("/v2", "/v2/health/ready", "/v2/models/{name}/infer", "/v2/models/{name}/versions/{version}/infer")
                .allMatch(p -> p.startsWith("/v2"));
        assertThat(api.get("/v3/api-docs/tensorflow-serving").json().get("paths").propertyNames())
                .contains("/v1/models/{name}", "/v1/models/{name}/metadata", "/v1/models/{name}:predict")
                .allMatch(p -> p.startsWith("/v1/models/"));
        JsonNode own = api.get("/v3/api-docs/deep-mnist").json();
        assertThat(own.get("paths").propertyNames()).contains("/jobs", "/predict").noneMatch(p -> p.startsWith("/v"));
        assertThat(own.at("/paths/~1jobs~1{id}/get/responses/404/content").has("application/problem+json")).isTrue();
        JsonNode infer = api.get("/v3/api-docs/open-inference-protocol").json().at("/paths/~1v2~1models~1{name}~1infer/post");
        assertThat(infer.at("/requestBody/content/application~1json/examples").has("pixels")).isTrue();
        assertThat(infer.at("/responses/400/content/application~1json/schema/$ref").asString()).endsWith("/ProtocolError");
    }
}
