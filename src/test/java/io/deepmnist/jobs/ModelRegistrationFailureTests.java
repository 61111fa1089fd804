package io.deepmnist.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient;
import io.deepmnist.TestHome;
import io.deepmnist.engine.ModelManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A model that is exported but cannot be registered (here: its graph is damaged before the registry loads it to
 * promote it) fails the job, and leaves neither a registered model nor its files; resuming exports it again.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ModelRegistrationFailureTests {

    static final AtomicBoolean BREAK_EXPORTS = new AtomicBoolean(true);
    /** A registration failure whose message, escaped as JSON, is twice as long as an event may be. */
    static final AtomicReference<String> LONG_FAILURE = new AtomicReference<>();
    static Path home;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        home = TestHome.register(registry);
    }

    @TestConfiguration
    static class BrokenDisk {
        /** Runs before the registry's listener, which then cannot load the model to promote it. */
        @Bean
        TrainedModelListener loseTheVariables() {
            return new OrderedListener();
        }
    }

    static class OrderedListener implements TrainedModelListener, Ordered {
        @Override
        public void onModelExported(ModelManifest manifest, Path dir, boolean promote, String alias) {
            if (LONG_FAILURE.get() != null) {
                throw new IllegalStateException(LONG_FAILURE.get());
            }
            if (BREAK_EXPORTS.get()) {
                try {
                    Files.writeString(dir.resolve("saved_model.pb"), "not a graph");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }
    }

    @LocalServerPort
    int port;

    @Test
    void aModelThatCannotBeRegisteredFailsTheJobAndLeavesNothingBehind() throws Exception {
        ApiClient api = new ApiClient(port);
        String id = api.submit("{\"model\":\"softmax\",\"steps\":200,\"checkpointEvery\":100}").get("id").asString();
        JsonNode failed = api.awaitJob(id, j -> j.get("state").asString().equals("FAILED"), Duration.ofSeconds(60));

        assertThat(failed.get("error").asString()).contains("was exported but could not be registered")
                .contains("resuming the job exports it again");
        assertThat(failed.get("modelId").isNull()).isTrue();
        assertThat(api.get("/models").json()).as("registered models").isEmpty();
        try (var left = Files.list(home.resolve("models"))) {
            assertThat(left).as("model directories").isEmpty();
        }

        BREAK_EXPORTS.set(false);
        assertThat(api.post("/jobs/" + id + "/resume", null).status()).isEqualTo(202);
        JsonNode done = api.awaitJob(id, j -> j.get("state").asString().equals("SUCCEEDED"), Duration.ofSeconds(60));
        assertThat(api.get("/models").json()).extracting(m -> m.get("id").asString()).containsExactly(done.get("modelId").asString());
    }

    /** Cut at 3,900 characters, this message once made a 7,800-character event that the store refused. */
    @Test
    @Timeout(120)
    void aFailureWithALongMessageStillEndsTheEventStreams() {
        ApiClient api = new ApiClient(port);
        LONG_FAILURE.set("\"\n".repeat(1950) + "\u0001".repeat(100));
        try {
            String id = api.submit("{\"model\":\"softmax\",\"steps\":20}").get("id").asString();
            JsonNode failed = api.awaitJob(id, j -> j.get("state").asString().equals("FAILED"), Duration.ofSeconds(60));
            assertThat(failed.get("error").asString()).startsWith("the model").endsWith("...");
            List<ApiClient.SseEvent> events = api.events(id, null, Duration.ofSeconds(30), e -> false);
            ApiClient.SseEvent last = events.get(events.size() - 1);
            assertThat(last.type()).isEqualTo("state");
            assertThat(last.data().get("state").asString()).isEqualTo("FAILED");
            assertThat(last.data().get("error").asString()).isEqualTo(failed.get("error").asString());
        } finally {
            LONG_FAILURE.set(null);
        }
    }
}
