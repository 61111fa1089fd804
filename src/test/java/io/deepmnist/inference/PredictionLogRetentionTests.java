package io.deepmnist.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient;
import io.deepmnist.DeepMnistApplication;
import io.deepmnist.TestHome;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** The prediction log keeps what {@code mnist.feedback.*} says, and can be turned off (issue 34, item 4). */
class PredictionLogRetentionTests {

    private static final String PIXELS = "{\"pixels\":[" + "0,".repeat(783) + "0]}";

    /**
     * Retention keeps the newest max-entries and nothing older than max-age: an excess of several chunks written
     * straight into the store goes a chunk at a time, and then answered predictions expire through the API.
     */
    @Test
    void theLogKeepsTheNewestEntriesOnly() throws InterruptedException {
        try (ConfigurableApplicationContext service = start("--mnist.feedback.max-entries=5", "--mnist.feedback.max-age=1h",
                "--mnist.feedback.retention-every=100ms")) {
            JdbcTemplate jdbc = service.getBean(JdbcTemplate.class);
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            int rows = 2 * PredictionLogRetention.CHUNK + 500;
            List<Object[]> batch = new ArrayList<>();
            for (int i = 0; i < rows; i++) { // row i was created i seconds ago: the newest 5 are 0-4
                batch.add(new Object[] {"retention-" + i, new byte[40], new byte[784], now.minusSeconds(i)});
            }
            jdbc.batchUpdate("INSERT INTO prediction_log (id, model_id, digit, probabilities, pixels, created_at) VALUES (?, 'r', 1, ?, ?, ?)", batch);
            for (int labelled : new int[] {1, 4000}) {
                jdbc.update("INSERT INTO prediction_label (prediction_id, model_id, digit, label, created_at, labelled_at) "
                        + "VALUES (?, 'r', 1, 7, ?, ?)", "retention-" + labelled, now.minusSeconds(labelled), now);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (count(jdbc) > 5) {
                assertThat(System.nanoTime()).as("%d rows still kept", count(jdbc)).isLessThan(deadline);
                Thread.sleep(100);
            }
            assertThat(jdbc.queryForList("SELECT id FROM prediction_log WHERE model_id = 'r'", String.class))
                    .containsExactlyInAnyOrder("retention-0", "retention-1", "retention-2", "retention-3", "retention-4");
            while (labels(jdbc).size() > 1) { // a deleted prediction's label goes in the same step, just after it
                assertThat(System.nanoTime()).as("labels of deleted predictions are still kept").isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(labels(jdbc)).containsExactly("retention-1");

            jdbc.update("INSERT INTO prediction_log (id, model_id, digit, probabilities, pixels, created_at) VALUES ('too-old', 'r', 1, ?, ?, ?)",
                    new byte[40], new byte[784], now.minusHours(2));
            jdbc.update("DELETE FROM prediction_log WHERE id = 'retention-0'");
            while (count(jdbc) > 4) {
                assertThat(System.nanoTime()).as("the row older than max-age is still kept").isLessThan(deadline);
                Thread.sleep(100);
            }
            assertThat(jdbc.queryForList("SELECT id FROM prediction_log WHERE id = 'too-old'", String.class)).isEmpty();

            ApiClient api = TestHome.api(service);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ids.add(api.post("/predict", PIXELS).json().get("predictions").get(0).get("predictionId").asString());
                Thread.sleep(5); // distinct times: retention keeps the newest by time
            }
            while (feedback(api, ids.get(2)) != 404) {
                assertThat(System.nanoTime()).as("the oldest entries are still kept").isLessThan(deadline);
                Thread.sleep(100);
            }
            assertThat(feedback(api, ids.get(0))).isEqualTo(404);
            for (String kept : ids.subList(3, 8)) {
                assertThat(feedback(api, kept)).isEqualTo(200);
            }
            assertThat(count(jdbc)).isZero();
        }
    }

    private static List<String> labels(JdbcTemplate jdbc) {
        return jdbc.queryForList("SELECT prediction_id FROM prediction_label WHERE model_id = 'r'", String.class);
    }

    private static long count(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM prediction_log WHERE model_id = 'r'", Long.class);
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
