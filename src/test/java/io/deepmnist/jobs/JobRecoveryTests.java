package io.deepmnist.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient.SseEvent;
import io.deepmnist.ApiClient;
import io.deepmnist.TestHome;
import io.deepmnist.TrainsCnn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** A job running when the application context stops is checkpointed, and the next start finishes it. */
@TrainsCnn
class JobRecoveryTests {

    private final Path home = TestHome.create();


    @Test
    void aJobInterruptedByAGracefulStopResumesOnTheNextStartWithItsHistoryIntact() {
        String id;
        int interruptedAt;
        try (ConfigurableApplicationContext first = TestHome.start(home)) {
            ApiClient api = TestHome.api(first);
            id = api.submit("{\"model\":\"cnn\",\"steps\":80,\"logEvery\":10,\"checkpointEvery\":40,\"seed\":6}").get("id").asString();
            api.events(id, null, Duration.ofMinutes(2), e -> e.type().equals("progress") && e.data().get("step").asInt() >= 40);
        }
        try (ConfigurableApplicationContext second = TestHome.start(home)) {
            ApiClient api = TestHome.api(second);
            List<SseEvent> history = api.allEvents(id, null);

            assertThat(history).extracting(SseEvent::id)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, history.size()).boxed().toList());
            SseEvent interrupted = history.stream()
                    .filter(e -> e.type().equals("state") && e.data().get("state").asString().equals("QUEUED")
                            && e.data().path("previous").asString("").equals("RUNNING"))
                    .findFirst().orElseThrow();
            assertThat(interrupted.data().get("message").asString()).contains("shutting down");
            interruptedAt = interrupted.data().get("step").asInt();
            assertThat(interruptedAt).isBetween(40, 79);
            List<Integer> progressAfter = history.stream().filter(e -> e.id() > interrupted.id() && e.type().equals("progress"))
                    .map(e -> e.data().get("step").asInt()).toList();
            assertThat(progressAfter).isNotEmpty().allMatch(step -> step >= interruptedAt);
            assertThat(history.get(history.size() - 1).data().get("state").asString()).isEqualTo("SUCCEEDED");

            JsonNode job = api.get("/jobs/" + id).json();
            assertThat(job.get("state").asString()).isEqualTo("SUCCEEDED");
            assertThat(job.get("step").asInt()).isEqualTo(80);
            assertThat(job.get("modelId").isNull()).isFalse();
        }
    }
}
