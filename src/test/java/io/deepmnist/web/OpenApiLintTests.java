package io.deepmnist.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient;
import io.deepmnist.SharedHome;
import io.deepmnist.web.http.RequestPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The generated OpenAPI document, checked by a real linter: Redocly CLI (npm, pinned) with its recommended rules.
 * Beside it, what the linter cannot know: every operation has a success response with a schema and an example,
 * and the errors it really answers with.
 */
@SharedHome.Service
class OpenApiLintTests {

    private static final String REDOCLY = "@redocly/cli@2.77.0";

    @LocalServerPort
    int port;

    @Test
    void redoclyFindsNoErrorInTheDocument() throws Exception {
        String docs = new ApiClient(port).get("/v3/api-docs").body();
        Path dir = Files.createDirectories(Path.of("target", "openapi"));
        Path file = dir.resolve("api-docs.json");
        Files.writeString(file, docs);

        Process process;
        try {
            process = new ProcessBuilder("npx", "--yes", REDOCLY, "lint", "--format=stylish", file.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("npx (Debian's npm package) runs the OpenAPI linter: apt-get install npm", e);
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("the linter finished").isTrue();
        Files.writeString(dir.resolve("redocly-lint.txt"), output);
        assertThat(output).as(output).contains("Woohoo! Your API description is valid.");
        assertThat(process.exitValue()).as(output).isZero();
    }

    @Test
    void everyOperationHasADescriptionASuccessSchemaWithAnExampleAndItsErrors() {
        JsonNode paths = new ApiClient(port).get("/v3/api-docs").json().get("paths");
        paths.properties().forEach(path -> path.getValue().properties().forEach(method -> {
            String where = method.getKey().toUpperCase() + " " + path.getKey();
            JsonNode operation = method.getValue();
            assertThat(operation.path("description").asString("")).as("%s description", where).isNotBlank();
            JsonNode responses = operation.get("responses");
            String success = responses.propertyNames().stream().filter(code -> code.startsWith("2")).findFirst().orElse(null);
            assertThat(success).as("%s success response", where).isNotNull();
            if (!success.equals("204")) {
                JsonNode media = responses.get(success).get("content").properties().iterator().next().getValue();
                assertThat(media.has("schema")).as("%s %s schema", where, success).isTrue();
                assertThat(media.has("example") || media.has("examples")).as("%s %s example", where, success).isTrue();
            }
            boolean protocol = RequestPaths.isProtocol(path.getKey());
            responses.properties().stream().filter(r -> r.getKey().matches("[45]\\d\\d"))
                    .forEach(r -> assertThat(r.getValue().get("content").has(protocol ? "application/json" : "application/problem+json"))
                            .as("%s %s", where, r.getKey()).isTrue());
            if (!method.getKey().equals("get") && !path.getKey().endsWith("predict") && !path.getKey().endsWith("/infer")) {
                assertThat(responses.has("401")).as("%s documents the API key's 401", where).isTrue();
            }
        }));
        assertThat(paths.get("/jobs").get("post").get("responses").has("415")).isTrue();
        assertThat(paths.get("/models/{id}").get("get").get("responses").get("404").get("description").asString())
                .isEqualTo("No such model");
        assertThat(paths.get("/jobs/{id}").get("get").get("responses").get("404").get("description").asString())
                .isEqualTo("No such job");
    }
}
