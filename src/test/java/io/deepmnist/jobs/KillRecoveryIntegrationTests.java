package io.deepmnist.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient.SseEvent;
import io.deepmnist.ApiClient;
import io.deepmnist.JarProcess;
import io.deepmnist.PackagedJar;
import io.deepmnist.TestHome;
import io.deepmnist.ops.StartupLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * Runs the packaged jar as a child process and stops it mid-job, with SIGKILL or SIGTERM, then starts it again:
 * the job must resume from its last checkpoint and finish.
 */
@PackagedJar
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KillRecoveryIntegrationTests {

    private final Path home = TestHome.create();
    private JarProcess service;

    @AfterAll
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    /** Without the prediction warm-up: the first test's job leaves a default model behind, and these tests predict nothing. */
    private ApiClient start(String logName) throws IOException, InterruptedException {
        service = JarProcess.start(home, logName, "--mnist.inference.warm-up=0s");
        return service.api();
    }

    /** The service the test before left running (each start costs about 10 s), or a new one. */
    private ApiClient running(String logName) throws IOException, InterruptedException {
        return service != null && service.process().isAlive() ? service.api() : start(logName);
    }

    @Test
    @Order(1)
    void aJobRunningWhenTheProcessIsKilledResumesFromItsLastCheckpointOnTheNextStart() throws Exception {
        ApiClient api = start("first.log");
        String id = api.submit("{\"model\":\"cnn\",\"steps\":100,\"logEvery\":10,\"checkpointEvery\":50,\"seed\":9}").get("id").asString();
        api.events(id, null, Duration.ofMinutes(2), e -> e.type().equals("progress") && e.data().get("step").asInt() >= 60);
        service.process().destroyForcibly().waitFor();

        api = start("second.log");
        List<SseEvent> history = api.allEvents(id, null);

        assertThat(history).extracting(SseEvent::id)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, history.size()).boxed().toList());
        SseEvent recovered = history.stream()
                .filter(e -> e.type().equals("state") && e.data().path("message").asString("").contains("ended without handing the job back"))
                .findFirst().orElseThrow();
        List<Integer> progressBefore = history.stream().filter(e -> e.id() < recovered.id() && e.type().equals("progress"))
                .map(e -> e.data().get("step").asInt()).toList();
        List<Integer> progressAfter = history.stream().filter(e -> e.id() > recovered.id() && e.type().equals("progress"))
                .map(e -> e.data().get("step").asInt()).toList();
        assertThat(progressBefore).contains(60);
        assertThat(progressAfter.get(0)).as("resumed from the step-50 checkpoint").isEqualTo(50);
        assertThat(history.get(history.size() - 1).data().get("state").asString()).isEqualTo("SUCCEEDED");
        JsonNode job = api.get("/jobs/" + id).json();
        assertThat(job.get("step").asInt()).isEqualTo(100);
        assertThat(job.get("state").asString()).isEqualTo("SUCCEEDED");
    }

    @Test
    @Order(2)
    void sigtermCheckpointsTheRunningJobExitsPromptlyAndTheNextStartFinishesIt() throws Exception {
        ApiClient api = running("term-first.log");
        String id = api.submit("{\"model\":\"cnn\",\"steps\":100,\"logEvery\":10,\"checkpointEvery\":50,\"seed\":4}").get("id").asString();
        api.events(id, null, Duration.ofMinutes(2), e -> e.type().equals("progress") && e.data().get("step").asInt() >= 40);

        Process process = service.process();
        process.destroy();
        assertThat(process.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)).as("exited within the shutdown timeout").isTrue();
        assertThat(process.exitValue()).as("the JVM's exit status after SIGTERM").isIn(0, 143);
        String log = service.output();
        assertThat(log).contains("interrupted by shutdown").contains("Graceful shutdown complete");

        api = start("term-second.log");
        List<SseEvent> history = api.allEvents(id, null);
        SseEvent interrupted = history.stream()
                .filter(e -> e.type().equals("state") && e.data().path("message").asString("").contains("shutting down"))
                .findFirst().orElseThrow();
        int at = interrupted.data().get("step").asInt();
        assertThat(at).isBetween(40, 99);
        assertThat(history.stream().filter(e -> e.id() > interrupted.id() && e.type().equals("progress"))
                .map(e -> e.data().get("step").asInt())).isNotEmpty().allMatch(step -> step >= at);
        assertThat(history.get(history.size() - 1).data().get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(api.get("/jobs/" + id).json().get("step").asInt()).isEqualTo(100);
    }

    @Test
    @Order(3)
    void theLastStartLoggedOneDeviceLineAndNoTensorFlowErrorsThroughATrainedJobAndAPrediction() throws Exception {
        ApiClient api = running("startup.log");
        if (api.get("/models").json().isEmpty()) { // run alone: train something first
            String id = api.submit("{\"model\":\"softmax\",\"steps\":50}").get("id").asString();
            api.awaitJob(id, j -> j.get("state").asString().equals("SUCCEEDED"), Duration.ofSeconds(90));
        }
        assertThat(api.post("/predict", "{\"pixels\":[" + "0,".repeat(783) + "0]}").status()).isEqualTo(200);
        StartupLog.assertClean(service.output().lines().toList());
    }
}
