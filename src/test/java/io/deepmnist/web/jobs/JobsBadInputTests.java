package io.deepmnist.web.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;

import io.deepmnist.artifacts.ArtifactStoreException;
import io.deepmnist.inference.ModelRegistry;
import io.deepmnist.jobs.JobNotFoundException;
import io.deepmnist.jobs.JobService;
import io.deepmnist.jobs.JobState;
import io.deepmnist.jobs.JobStateException;
import io.deepmnist.web.http.WebSliceProperties;
import java.net.URI;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every bad request to the jobs API gets its documented 4xx problem detail, never a 500: the web layer alone,
 * with a job service that refuses as the real one does. {@code JobRefusalsTests} sends a few of these to the
 * whole service.
 */
@WebMvcTest(controllers = {JobController.class, JobEventsController.class})
@Import({WebSliceProperties.class, JobPlanner.class})
public class JobsBadInputTests {

    static final String SUCCEEDED = "7d1f0c4e-succeeded";
    static final String RUNNING = "9a2b3c4d-running";

    @Autowired
    MockMvc mvc;

    @MockitoBean
    JobService jobs;

    @MockitoBean
    ModelRegistry registry;

    @BeforeEach
    void refuseAsTheServiceDoes() {
        JobNotFoundException unknown = new JobNotFoundException("no-such-job");
        given(jobs.get(anyString())).willAnswer(call -> {
            throw new JobNotFoundException(call.getArgument(0));
        });
        given(jobs.checkpoints(anyString())).willThrow(unknown);
        given(jobs.subscribe(anyString(), anyLong(), any())).willAnswer(call -> {
            throw new JobNotFoundException(call.getArgument(0));
        });
        willThrow(unknown).given(jobs).delete("no-such-job");
        willThrow(new ArtifactStoreException("cannot list jobs/bucket-away/ in s3://b/ at http://127.0.0.1:9: Connection refused", null))
                .given(jobs).delete("bucket-away");
        given(jobs.cancel("no-such-job")).willThrow(unknown);
        given(jobs.resume(SUCCEEDED)).willThrow(new JobStateException(SUCCEEDED, JobState.SUCCEEDED, "resumed", "it already finished"));
        given(jobs.cancel(SUCCEEDED)).willThrow(new JobStateException(SUCCEEDED, JobState.SUCCEEDED, "cancelled", "only QUEUED and RUNNING jobs can be"));
        given(jobs.resume(RUNNING)).willThrow(new JobStateException(RUNNING, JobState.RUNNING, "resumed", "only CANCELLED and FAILED jobs can be; it is still in progress"));
        willThrow(new JobStateException(RUNNING, JobState.RUNNING, "deleted", "cancel it first")).given(jobs).delete(RUNNING);
        given(jobs.submit(any(), any(), anyBoolean())).willThrow(new AssertionError("a bad request must not reach the service"));
        given(jobs.submit(any(), any(), anyBoolean(), any())).willThrow(new AssertionError("a bad request must not reach the service"));
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
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"cnn\",\"precision\":\"fp16\"}", 400, "precision: must be auto, fp32 or bf16"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"cnn\",\"precision\":7}", 400, "precision"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"cnn\",\"batchSize\":5000}", 400, "batchSize: must be less than or equal to 1000"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"cnn\",\"learningRate\":0}", 400, "learningRate: must be greater than 0"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"cnn\",\"learningRate\":11}", 400, "learningRate: must be less than or equal to 10"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"cnn\",\"keepProb\":0}", 400, "keepProb: must be greater than 0"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"cnn\",\"keepProb\":1.5}", 400, "keepProb: must be less than or equal to 1"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"cnn\",\"optimizer\":\"sgd\"}", 400, "optimizer: must be gradient-descent or adam"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"cnn\",\"logEvery\":0}", 400, "logEvery: must be greater than or equal to 1"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"cnn\",\"seed\":-1}", 400, "seed: must be greater than or equal to 0"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"cnn\",\"promote\":\"yes\"}", 400, "Field 'promote' must be true or false"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"cnn\",\"data\":{\"feedback\":true,\"ratio\":-0.2}}", 400,
                        "data.ratio: must be above 0 and at most 1"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"cnn\",\"data\":{\"feedback\":\"yes\"}}", 400,
                        "Field 'data.feedback' must be true or false"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"cnn\",\"data\":{\"labels\":true}}", 400, "Unknown field"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":\"cnn\",\"from\":\"" + "m".repeat(65) + "\"}", 400,
                        "from: size must be between 0 and 64"),
                Arguments.of("POST", "/jobs", "application/json", "{\"model\":", 400, "not valid JSON"),
                Arguments.of("POST", "/jobs", "application/json", "", 400, "missing or unreadable"),
                Arguments.of("POST", "/jobs", "application/json", "[1,2]", 400, "request body"),
                Arguments.of("POST", "/jobs", "text/plain", "model=cnn", 415, "Content-Type 'text/plain' is not accepted here; send one of: application/json"),
                Arguments.of("GET", "/jobs?state=DONE", null, null, 400, "state: 'DONE' is not one of"),
                Arguments.of("GET", "/jobs?page=-1", null, null, 400, ""),
                Arguments.of("GET", "/jobs?size=100000", null, null, 400, ""),
                Arguments.of("GET", "/jobs/no-such-job", null, null, 404, "There is no job 'no-such-job'; GET /jobs lists the jobs there are."),
                Arguments.of("GET", "/jobs/not%20an%20id", null, null, 404, "There is no job 'not an id'"),
                Arguments.of("GET", "/jobs/no-such-job/events", null, null, 404, "There is no job"),
                Arguments.of("GET", "/jobs/no-such-job/checkpoints", null, null, 404, "There is no job"),
                Arguments.of("POST", "/jobs/no-such-job/cancel", null, null, 404, "There is no job"),
                Arguments.of("POST", "/jobs/{succeeded}/resume", null, null, 409, "is SUCCEEDED and cannot be resumed"),
                Arguments.of("POST", "/jobs/{succeeded}/cancel", null, null, 409, "is SUCCEEDED and cannot be cancelled"),
                Arguments.of("POST", "/jobs/{running}/resume", null, null, 409, "cannot be resumed; only CANCELLED and FAILED jobs can be; it is still in progress (POST /jobs/" + RUNNING + "/cancel stops it)"),
                Arguments.of("DELETE", "/jobs/{running}", null, null, 409, "cannot be deleted; cancel it first (POST /jobs/" + RUNNING + "/cancel)"),
                Arguments.of("DELETE", "/jobs/no-such-job", null, null, 404, "There is no job"),
                Arguments.of("DELETE", "/jobs/bucket-away", null, null, 503, "The artifact store cannot be reached (cannot list jobs/bucket-away/"),
                Arguments.of("PUT", "/jobs", "application/json", "{}", 405, ""));
    }

    @ParameterizedTest(name = "{0} {1} {3} -> {4}")
    @MethodSource("badRequests")
    void answersWithAProblemDetail(String method, String path, String contentType, String body, int status, String detail)
            throws Exception {
        URI uri = URI.create(path.replace("{succeeded}", SUCCEEDED).replace("{running}", RUNNING));
        MockHttpServletRequestBuilder request = MockMvcRequestBuilders.request(HttpMethod.valueOf(method), uri);
        if (contentType != null) {
            request.contentType(contentType).content(body);
        }

        MockHttpServletResponse response = mvc.perform(request).andReturn().getResponse();

        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(status);
        assertThat(response.getContentType()).as(response.getContentAsString()).startsWith("application/problem+json");
        JsonNode problem = JsonMapper.builder().build().readTree(response.getContentAsString());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asString()).contains(detail);
    }

    /** Failures of the store other than a lost connection, and of the disk: a 503 that says so, never a 500. */
    @org.junit.jupiter.api.Test
    void storeAndDiskFailuresAreA503() throws Exception {
        willThrow(new org.springframework.jdbc.UncategorizedSQLException("SELECT", "SELECT * FROM job",
                new java.sql.SQLException("terminating connection due to administrator command", "57P01")))
                .given(jobs).get("broken-store");
        willThrow(new org.springframework.dao.DataIntegrityViolationException("fk")).given(jobs).checkpoints("constraint");
        willThrow(new java.io.UncheckedIOException("cannot delete /data/jobs/x: Permission denied",
                new java.io.IOException("Permission denied"))).given(jobs).delete("read-only-disk");
        for (var request : java.util.List.of(MockMvcRequestBuilders.get("/jobs/broken-store"),
                MockMvcRequestBuilders.get("/jobs/constraint/checkpoints"), MockMvcRequestBuilders.delete("/jobs/read-only-disk"))) {
            MockHttpServletResponse response = mvc.perform(request).andReturn().getResponse();
            assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(503);
            assertThat(response.getContentType()).startsWith("application/problem+json");
            assertThat(response.getHeader("Retry-After")).isNotNull();
        }
        assertThat(mvc.perform(MockMvcRequestBuilders.delete("/jobs/read-only-disk")).andReturn().getResponse()
                .getContentAsString()).contains("could not read or write its files", "Permission denied");
    }
}
