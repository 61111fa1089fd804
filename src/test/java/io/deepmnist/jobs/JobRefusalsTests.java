package io.deepmnist.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient;
import io.deepmnist.SharedHome;
import io.deepmnist.web.jobs.JobsBadInputTests;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A few of the refusals of {@code web.jobs.JobsBadInputTests}, end to end: the real job service, store and workers
 * refuse, and the answer crosses the web server.
 */
@SharedHome.Service
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobRefusalsTests {

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
        api.awaitJob(running, j -> j.get("state").asString().equals("RUNNING"), Duration.ofSeconds(60));
    }

    @AfterAll
    void cancelTheRunningJob() {
        api.post("/jobs/" + running + "/cancel", null);
        api.awaitJob(running, j -> j.get("state").asString().equals("CANCELLED"), Duration.ofSeconds(60));
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("POST", "/jobs", "{\"model\":\"lenet\"}", 400, "model: must be softmax or cnn"),
                Arguments.of("GET", "/jobs/no-such-job", null, 404, "There is no job 'no-such-job'; GET /jobs lists the jobs there are."),
                Arguments.of("GET", "/jobs/no-such-job/events", null, 404, "There is no job 'no-such-job'"),
                Arguments.of("POST", "/jobs/{succeeded}/resume", null, 409, "is SUCCEEDED and cannot be resumed; it already finished"),
                Arguments.of("POST", "/jobs/{succeeded}/cancel", null, 409, "is SUCCEEDED and cannot be cancelled; only QUEUED and RUNNING jobs can be"),
                Arguments.of("POST", "/jobs/{running}/resume", null, 409, "is RUNNING and cannot be resumed; only CANCELLED and FAILED jobs can be; it is still in progress (POST /jobs/{running}/cancel stops it)"),
                Arguments.of("DELETE", "/jobs/{running}", null, 409, "is RUNNING and cannot be deleted; cancel it first (POST /jobs/{running}/cancel)"));
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @MethodSource("refusals")
    void answersWithAProblemDetail(String method, String path, String body, int status, String detail) {
        ApiClient.Response response = api.send(method, ids(path), body == null ? null : "application/json", body);

        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("detail").asString()).contains(ids(detail));
    }

    private String ids(String text) {
        return text.replace("{succeeded}", succeeded).replace("{running}", running);
    }
}
