package io.deepmnist.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient;
import io.deepmnist.DeepMnistApplication;
import io.deepmnist.TestHome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** The prediction log keeps what {@code mnist.feedback.*} says, and can be turned off (issue 34, item 4). */
class PredictionLogRetentionTests {

    private static final String PIXELS = "{\"pixels\":[" + "0,".repeat(783) + "0]}";

    @Test
    void theLogKeepsTheNewestEntriesOnly() throws InterruptedException {
        try (ConfigurableApplicationContext service = start("--mnist.feedback.max-entries=5", "--mnist.feedback.retention-every=100ms")) {
            ApiClient api = TestHome.api(service);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ids.add(api.post("/predict", PIXELS).json().get("predictions").get(0).get("predictionId").asString());
                Thread.sleep(5); // distinct times: retention keeps the newest by time
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (feedback(api, ids.get(2)) != 404) {
                assertThat(System.nanoTime()).as("the oldest entries are still kept").isLessThan(deadline);
                Thread.sleep(100);
            }
            assertThat(feedback(api, ids.get(0))).isEqualTo(404);
            for (String kept : ids.subList(3, 8)) {
                assertThat(feedback(api, kept)).isEqualTo(200);
            }
        }
    }

    @Test
    void withTheLogOffAnswersHaveNoIdsAndFeedbackSaysWhy() {
        try (ConfigurableApplicationContext service = start("--mnist.feedback.enabled=false")) {
            ApiClient api = TestHome.api(service);
            ApiClient.Response answer = api.post("/predict", PIXELS);
            assertThat(answer.json().get("predictions").get(0).has("predictionId")).isFalse();
            assertThat(answer.header("X-Prediction-Ids")).isNull();
            ApiClient.Response refused = api.post("/predictions/00000000-0000-4000-8000-000000000000/feedback", "{\"digit\":1}");
            assertThat(refused.status()).isEqualTo(404);
            assertThat(refused.json().get("detail").asString()).contains("mnist.feedback.enabled=false");
        }
    }

    private static int feedback(ApiClient api, String id) {
        return api.post("/predictions/" + id + "/feedback", "{\"digit\":0}").status();
    }

    private static ConfigurableApplicationContext start(String... settings) {
        Path home = TestHome.create();
        TrainedModels.linkInto(home, TrainedModels.softmax());
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0", "--mnist.home=" + home));
        args.addAll(List.of(settings));
        ConfigurableApplicationContext service = SpringApplication.run(DeepMnistApplication.class, args.toArray(String[]::new));
        assertThat(TestHome.api(service).post("/models/" + TrainedModels.softmax().id() + "/promote", null).status()).isEqualTo(200);
        return service;
    }
}
