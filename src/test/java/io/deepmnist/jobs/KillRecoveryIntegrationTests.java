package io.deepmnist.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient.SseEvent;
import io.deepmnist.ApiClient;
import io.deepmnist.JarProcess;
import io.deepmnist.TestHome;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Runs the packaged jar as a child process and stops it mid-job, with SIGKILL or SIGTERM, then starts it again:
 * the job must resume from its last checkpoint and finish. Run by Failsafe, after the jar is built.
 */
class KillRecoveryIntegrationTests {

    private final Path home = TestHome.create();
    private JarProcess service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    private ApiClient start(String logName) throws IOException, InterruptedException {
        service = JarProcess.start(home, logName);
        return service.api();
    }

    @Test
    void aJobRunningWhenTheProcessIsKilledResumesFromItsLastCheckpointOnTheNextStart() throws Exception {
        ApiClient api = start("first.log");
        String id = api.submit("{\"model\":\"cnn\",\"steps\":160,\"logEvery\":20,\"checkpointEvery\":60,\"seed\":9}").get("id").asString();
        api.events(id, null, Duration.ofMinutes(2), e -> e.type().equals("progress") && e.data().get("step").asInt() >= 100);
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
        assertThat(progressBefore).contains(100);
        assertThat(progressAfter.get(0)).as("resumed from the step-60 checkpoint").isEqualTo(60);
        assertThat(history.get(history.size() - 1).data().get("state").asString()).isEqualTo("SUCCEEDED");
        JsonNode job = api.get("/jobs/" + id).json();
        assertThat(job.get("step").asInt()).isEqualTo(160);
        assertThat(job.get("state").asString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void sigtermCheckpointsTheRunningJobExitsPromptlyAndTheNextStartFinishesIt() throws Exception {
        ApiClient api = start("term-first.log");
        String id = api.submit("{\"model\":\"cnn\",\"steps\":160,\"logEvery\":20,\"checkpointEvery\":60,\"seed\":4}").get("id").asString();
        api.events(id, null, Duration.ofMinutes(2), e -> e.type().equals("progress") && e.data().get("step").asInt() >= 80);

        long stopping = System.nanoTime();
        Process process = service.process();
        process.destroy();
        assertThat(process.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)).as("exited within the shutdown timeout").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(60));
        assertThat(process.exitValue()).as("the JVM's exit status after SIGTERM").isIn(0, 143);
        String log = service.output();
        assertThat(log).contains("interrupted by shutdown").contains("Graceful shutdown complete");

        api = start("term-second.log");
        List<SseEvent> history = api.allEvents(id, null);
        SseEvent interrupted = history.stream()
                .filter(e -> e.type().equals("state") && e.data().path("message").asString("").contains("shutting down"))
                .findFirst().orElseThrow();
        int at = interrupted.data().get("step").asInt();
        assertThat(at).isBetween(80, 159);
        assertThat(history.stream().filter(e -> e.id() > interrupted.id() && e.type().equals("progress"))
                .map(e -> e.data().get("step").asInt())).isNotEmpty().allMatch(step -> step >= at);
        assertThat(history.get(history.size() - 1).data().get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(api.get("/jobs/" + id).json().get("step").asInt()).isEqualTo(160);
    }
}
