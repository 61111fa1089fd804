package io.deepmnist.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient;
import io.deepmnist.TestHome;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Every bad request gets its documented 4xx problem detail, never a 500. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobsBadInputTests {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestHome.register(registry);
    }

    @LocalServerPort
    int port;

    private ApiClient api;
    private String succeeded;
    private String running;

    @BeforeAll
    void fixtures() {
        api = new ApiClient(port);
        succeeded = api.submit("{\"model\":\"softmax\",\"steps\":20}").get("id").asString();
        api.awaitJob(succeeded, j -> j.get("state").asString().equals("SUCCEEDED"), Duration.ofSeconds(60));
        running = api.submit("{\"model\":\"cnn\"}").get("id").asString();
    }

    @AfterAll
    void cancelTheRunningJob() {
        api.post("/jobs/" + running + "/cancel", null);
        api.awaitJob(running, j -> j.get("state").asString().equals("CANCELLED"), Duration.ofSeconds(60));
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"lenet\"}", 400, "model: must be softmax or cnn"),
                Arguments.of("POST", "/jobs", "application/json", "{\"steps\":100}", 400, "model: is required"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"cnn\",\"step\":100}", 400, "Unknown field 'step'"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"cnn\",\"steps\":\"many\"}", 400, "Field 'steps' must be a whole number"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"cnn\",\"steps\":1.5}", 400, "Field 'steps' must be a whole number"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"cnn\",\"steps\":0}", 400, "steps: must be greater than or equal to 1"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"cnn\",\"steps\":1000001}", 400, "steps: must be less than or equal to 1000000"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"cnn\",\"batchSize\":0}", 400, "batchSize: must be greater than or equal to 1"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"cnn\",\"batchSize\":5000}", 400, "batchSize: must be less than or equal to 1000"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"cnn\",\"learningRate\":0}", 400, "learningRate: must be greater than 0"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"cnn\",\"learningRate\":11}", 400, "learningRate: must be less than or equal to 10"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"cnn\",\"keepProb\":0}", 400, "keepProb: must be greater than 0"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"cnn\",\"keepProb\":1.5}", 400, "keepProb: must be less than or equal to 1"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"cnn\",\"optimizer\":\"sgd\"}", 400, "optimizer: must be gradient-descent or adam"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"cnn\",\"logEvery\":0}", 400, "logEvery: must be greater than or equal to 1"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"cnn\",\"seed\":-1}", 400, "seed: must be greater than or equal to 0"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"cnn\",\"promote\":\"yes\"}", 400, "Field 'promote' must be true or false"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":", 400, "not valid JSON"),
                Arguments.of("POST", "/jobs", "application/json", "", 400, "missing or unreadable"),
                Arguments.of("POST", "/jobs", "application/json", "[1,2]", 400, "request body"),
                Arguments.of("POST", "/jobs", "text/plain", "model=cnn", 415, "Content-Type 'text/plain' is not supported"),
                Arguments.of("GET", "/jobs?state=DONE", null, null, 400, "state: 'DONE' is not one of"),
                Arguments.of("GET", "/jobs?page=-1", null, null, 400, ""),
                Arguments.of("GET", "/jobs?size=100000", null, null, 400, ""),
                Arguments.of("GET", "/jobs/no-such-job", null, null, 404, "There is no job 'no-such-job'"),
                Arguments.of("GET", "/jobs/not%20an%20id", null, null, 404, "There is no job"),
                Arguments.of("GET", "/jobs/no-such-job/events", null, null, 404, "There is no job"),
                Arguments.of("GET", "/jobs/no-such-job/checkpoints", null, null, 404, "There is no job"),
                Arguments.of("POST", "/jobs/no-such-job/cancel", null, null, 404, "There is no job"),
                Arguments.of("POST", "/jobs/{succeeded}/resume", null, null, 409, "is SUCCEEDED and cannot be resumed"),
                Arguments.of("POST", "/jobs/{succeeded}/cancel", null, null, 409, "is SUCCEEDED and cannot be cancelled"),
                Arguments.of("POST", "/jobs/{running}/resume", null, null, 409, "cannot be resumed"),
                Arguments.of("DELETE", "/jobs/{running}", null, null, 409, "cannot be deleted; cancel it first"),
                Arguments.of("DELETE", "/jobs/no-such-job", null, null, 404, "There is no job"),
                Arguments.of("PUT", "/jobs", "application/json", "{}", 405, ""));
    }

    @ParameterizedTest(name = "{0} {1} {3} -> {4}")
    @MethodSource("badRequests")
    void answersWithAProblemDetail(String method, String path, String contentType, String body, int status, String detail) {
        String resolved = path.replace("{succeeded}", succeeded).replace("{running}", running);

        ApiClient.Response response = api.send(method, resolved, contentType, body);

        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).as(response.body()).startsWith("application/problem+json");
        assertThat(response.json().get("status").asInt()).isEqualTo(status);
        assertThat(response.json().get("detail").asString()).contains(detail);
    }
}
