package io.deepmnist.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient.SseEvent;
import io.deepmnist.ApiClient;
import io.deepmnist.TestHome;
import io.deepmnist.TrainsCnn;
import io.deepmnist.engine.ComputeDevice;
import io.deepmnist.engine.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** Training jobs over real HTTP and a real SSE client, on the real MNIST. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JobsApiTests {

    static final Path HOME = TestHome.create();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("mnist.home", HOME::toString);
        registry.add("mnist.jobs.queue-capacity", () -> "1");
        registry.add("mnist.jobs.heartbeat", () -> "1s");
    }

    @LocalServerPort
    int port;

    @Autowired
    TrainingExecutor executor;

    ApiClient api() {
        return new ApiClient(port);
    }

    @Test
    void aSoftmaxJobStreamsItsProgressUpToTheLastStepAndSucceedsWithAModel() {
        ApiClient api = api();
        ApiClient.Response created = api.post("/jobs", "{\"model\":\"softmax\",\"seed\":3}");
        assertThat(created.status()).isEqualTo(202);
        String id = created.json().get("id").asString();
        assertThat(created.header("Location")).isEqualTo("/jobs/" + id);

        List<SseEvent> events = api.allEvents(id, null);

        List<SseEvent> progress = events.stream().filter(e -> e.type().equals("progress")).toList();
        assertThat(progress).hasSize(11);
        assertThat(progress).extracting(e -> e.data().get("step").asInt())
                .containsExactly(0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000);
        assertThat(progress.get(10).data().get("totalSteps").asInt()).isEqualTo(1000);
        assertThat(progress.get(9).data().has("examplesPerSecond")).isTrue();
        assertThat(progress.get(9).data().has("etaSeconds")).isTrue();
        assertThat(progress.get(10).data().get("etaSeconds").asDouble()).isZero();
        assertThat(events).extracting(SseEvent::id).isSorted().doesNotHaveDuplicates();
        assertThat(events.get(0).id()).isEqualTo(1);
        assertThat(events).extracting(SseEvent::type).contains("checkpoint", "evaluation");
        SseEvent last = events.get(events.size() - 1);
        assertThat(last.type()).isEqualTo("state");
        assertThat(last.data().get("state").asString()).isEqualTo("SUCCEEDED");

        JsonNode job = api.get("/jobs/" + id).json();
        assertThat(job.get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("step").asInt()).isEqualTo(1000);
        assertThat(job.get("testAccuracy").asDouble()).isGreaterThanOrEqualTo(0.90);
        assertThat(job.get("device").asString()).startsWith("/device:");
        assertThat(job.get("checkpoints")).hasSize(1);
        assertThat(job.get("checkpoints").get(0).get("step").asInt()).isEqualTo(1000);
        String modelId = job.get("modelId").asString();
        assertThat(Files.isRegularFile(HOME.resolve("models").resolve(modelId).resolve("manifest.json"))).isTrue();
        assertThat(Files.isRegularFile(HOME.resolve("models").resolve(modelId).resolve("saved_model.pb"))).isTrue();

        List<SseEvent> afterFive = api.allEvents(id, 5L);
        assertThat(afterFive).extracting(SseEvent::id).containsExactlyElementsOf(
                events.stream().map(SseEvent::id).filter(i -> i > 5).toList());
        assertThat(api.allEvents(id, last.id())).isEmpty();
    }

    @TrainsCnn
    @Test
    void aCancelledCnnJobKeepsItsCheckpointAndResumesToTheFullStepCount() {
        ApiClient api = api();
        String id = api.submit("{\"model\":\"cnn\",\"steps\":120,\"logEvery\":20,\"checkpointEvery\":60,\"seed\":2,"
                + "\"precision\":\"bf16\"}").get("id").asString();
        // What bf16 means here depends on this machine's CPU: bf16, or fp32 where TensorFlow cannot apply it.
        String trainsIn = Precision.BF16.resolve(ComputeDevice.CPU).precision().id();

        List<SseEvent> untilMidRun = api.events(id, null, Duration.ofMinutes(2),
                e -> e.type().equals("progress") && e.data().get("step").asInt() >= 60);
        SseEvent running = untilMidRun.stream().filter(e -> e.type().equals("state")
                && e.data().get("state").asString().equals("RUNNING")).findFirst().orElseThrow();
        assertThat(running.data().get("precision").asString()).isEqualTo(trainsIn);
        assertThat(running.data().get("message").asString()).contains(" in " + trainsIn);
        assertThat(api.post("/jobs/" + id + "/cancel", null).status()).isEqualTo(202);
        List<SseEvent> rest = api.allEvents(id, untilMidRun.get(untilMidRun.size() - 1).id());
        SseEvent end = rest.get(rest.size() - 1);
        assertThat(end.data().get("state").asString()).isEqualTo("CANCELLED");

        JsonNode cancelled = api.get("/jobs/" + id).json();
        int reached = cancelled.get("step").asInt();
        assertThat(reached).isBetween(60, 119);
        JsonNode checkpoints = api.get("/jobs/" + id + "/checkpoints").json();
        int lastCheckpoint = checkpoints.get(checkpoints.size() - 1).get("step").asInt();
        assertThat(lastCheckpoint).isEqualTo(reached);

        // A cancel that comes just after the run ended must not stick to the job's next run.
        assertThat(api.post("/jobs/" + id + "/cancel", null).status()).isEqualTo(409);
        executor.cancelLocally(id);
        assertThat(api.post("/jobs/" + id + "/resume", null).status()).isEqualTo(202);
        List<SseEvent> resumed = api.allEvents(id, end.id());
        List<Integer> steps = resumed.stream().filter(e -> e.type().equals("progress")).map(e -> e.data().get("step").asInt()).toList();
        assertThat(steps).isNotEmpty().allMatch(s -> s >= reached);
        assertThat(resumed.get(resumed.size() - 1).data().get("state").asString()).isEqualTo("SUCCEEDED");
        // The second run resolves what was asked (bf16) again, not what the first run resolved it to.
        SseEvent rerun = resumed.stream().filter(e -> e.type().equals("state")
                && e.data().get("state").asString().equals("RUNNING")).findFirst().orElseThrow();
        assertThat(rerun.data().get("message").asString()).isEqualTo(running.data().get("message").asString());
        assertThat(rerun.data().get("precision").asString()).isEqualTo(trainsIn);
        JsonNode done = api.get("/jobs/" + id).json();
        assertThat(done.get("step").asInt()).isEqualTo(120);
        assertThat(done.get("id").asString()).isEqualTo(id);
        assertThat(done.get("testAccuracy").asDouble()).isGreaterThan(0.7);
        assertThat(done.get("precision").asString()).isEqualTo(trainsIn);
        assertThat(done.get("requestedPrecision").asString()).isEqualTo("bf16");
        JsonNode model = api.get("/models/" + done.get("modelId").asString()).json();
        assertThat(model.get("manifest").get("precision").asString()).isEqualTo(trainsIn);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (executor.runningControls() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // the worker lets go of the job just after it is stored SUCCEEDED
        }
        assertThat(executor.runningControls()).as("run controls left behind").isZero();
    }

    @Test
    void aFullQueueAnswers429WithRetryAfter() {
        ApiClient api = api();
        String running = api.submit("{\"model\":\"cnn\",\"seed\":1}").get("id").asString();
        api.awaitJob(running, j -> j.get("state").asString().equals("RUNNING"), Duration.ofSeconds(30));
        String queued = api.submit("{\"model\":\"cnn\",\"seed\":1}").get("id").asString();

        ApiClient.Response refused = api.post("/jobs", "{\"model\":\"softmax\"}");

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isEqualTo("30");
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().get("detail").asString()).contains("The training queue is full");
        JsonNode failed = api.get("/jobs?state=FAILED").json().get("content").get(0);
        assertThat(failed.get("error").asString()).contains("queue is full");

        assertThat(api.post("/jobs/" + queued + "/cancel", null).json().get("state").asString()).isEqualTo("CANCELLED");
        api.post("/jobs/" + running + "/cancel", null);
        api.awaitJob(running, j -> j.get("state").asString().equals("CANCELLED"), Duration.ofSeconds(30));
        assertThat(api.send("DELETE", "/jobs/" + queued, null, null).status()).isEqualTo(204);
        assertThat(api.get("/jobs/" + queued).status()).isEqualTo(404);
    }

    @Test
    void jobsAreListedNewestFirstAndFilteredByState() {
        ApiClient api = api();
        String first = api.submit("{\"model\":\"softmax\",\"steps\":10}").get("id").asString();
        api.awaitJob(first, j -> j.get("state").asString().equals("SUCCEEDED"), Duration.ofSeconds(60));
        String second = api.submit("{\"model\":\"softmax\",\"steps\":10}").get("id").asString();
        api.awaitJob(second, j -> j.get("state").asString().equals("SUCCEEDED"), Duration.ofSeconds(60));

        JsonNode page = api.get("/jobs?state=SUCCEEDED&size=2").json();
        assertThat(page.get("content")).hasSize(2);
        assertThat(page.get("content").get(0).get("id").asString()).isEqualTo(second);
        assertThat(page.get("content").get(1).get("id").asString()).isEqualTo(first);
        assertThat(page.get("size").asInt()).isEqualTo(2);
    }

    @Test
    void aJobThatCannotWriteItsCheckpointFailsWithTheReasonAndTheWorkerCarriesOn() throws Exception {
        ApiClient api = api();
        String blocker = api.submit("{\"model\":\"cnn\",\"seed\":1}").get("id").asString();
        api.awaitJob(blocker, j -> j.get("state").asString().equals("RUNNING"), Duration.ofSeconds(30));
        String doomed = api.submit("{\"model\":\"softmax\",\"steps\":50}").get("id").asString();
        // A file where the job's directory belongs: writing its checkpoint fails as on a broken disk.
        Files.createDirectories(HOME.resolve("jobs"));
        Files.writeString(HOME.resolve("jobs").resolve(doomed), "in the way");
        api.post("/jobs/" + blocker + "/cancel", null);

        List<SseEvent> events = api.allEvents(doomed, null);
        JsonNode end = events.get(events.size() - 1).data();
        assertThat(end.get("state").asString()).isEqualTo("FAILED");
        assertThat(end.get("error").asString()).contains("cannot write checkpoint ckpt-50");
        assertThat(api.get("/jobs/" + doomed).json().get("error").asString()).contains("cannot write checkpoint");

        Files.delete(HOME.resolve("jobs").resolve(doomed));
        assertThat(api.post("/jobs/" + doomed + "/resume", null).status()).isEqualTo(202);
        api.awaitJob(doomed, j -> j.get("state").asString().equals("SUCCEEDED"), Duration.ofSeconds(60));
    }
}
