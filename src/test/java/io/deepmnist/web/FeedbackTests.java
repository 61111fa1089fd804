package io.deepmnist.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient;
import io.deepmnist.TrainsCnn;
import io.deepmnist.dataset.MnistFile;
import io.deepmnist.dataset.RealMnist;
import io.deepmnist.inference.TrainedModels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every answered image gets a prediction id; a label for it records the right digit, and each model's accuracy on
 * the labels is what a user computes from the answers (issue 34, items 4 and 5).
 */
@TrainsCnn
class FeedbackTests extends ProtocolApiContext {

    @Test
    void labelsFor200TestDigitsGiveTheAccuracyTheAnswersShow() throws InterruptedException {
        String cnn = TrainedModels.cnn().id();
        int[] labels = labels(TrainedModels.PROBE);
        JsonNode before = api.get("/models/" + cnn + "/feedback").json();

        ApiClient.Response answer = api.post("/predict?preprocess=false", "{\"instances\":" + ProtocolBodies.batch(TrainedModels.PROBE, false, false, false) + "}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        int correct = 0;
        for (int i = 0; i < TrainedModels.PROBE; i++) {
            JsonNode prediction = answer.json().get("predictions").get(i);
            ids.add(prediction.get("predictionId").asString());
            correct += prediction.get("digit").asInt() == labels[i] ? 1 : 0;
        }
        assertThat(answer.header("X-Prediction-Ids")).isEqualTo(String.join(",", ids));
        assertThat(ids).doesNotHaveDuplicates();

        // A wrong label first, then the right one: the second replaces the first.
        assertThat(feedback(ids.get(0), (labels[0] + 1) % 10).json().get("label").asInt()).isEqualTo((labels[0] + 1) % 10);
        for (int i = 0; i < TrainedModels.PROBE; i++) {
            ApiClient.Response labelled = feedback(ids.get(i), labels[i]);
            assertThat(labelled.status()).as(labelled.body()).isEqualTo(200);
            assertThat(labelled.json().get("modelId").asString()).isEqualTo(cnn);
        }

        JsonNode after = api.get("/models/" + cnn + "/feedback").json();
        long labelled = after.get("labelled").asLong() - before.get("labelled").asLong();
        long right = after.get("correct").asLong() - before.get("correct").asLong();
        assertThat(labelled).isEqualTo(TrainedModels.PROBE);
        assertThat(right).isEqualTo(correct);
        if (before.get("labelled").asLong() == 0) {
            double accuracy = (double) correct / TrainedModels.PROBE;
            assertThat(after.get("accuracy").asDouble()).isEqualTo(accuracy);
            double lo = after.get("interval95").get(0).asDouble();
            double hi = after.get("interval95").get(1).asDouble();
            assertThat(lo).isLessThan(accuracy).isGreaterThan(0.8);
            assertThat(hi).isGreaterThan(accuracy).isLessThanOrEqualTo(1.0);
        }
        assertThat(api.get("/models/default/feedback").json().get("labelled").asLong()).isEqualTo(after.get("labelled").asLong());

        // Over time: every label of this run falls in the last 120 minutes, so the minutes add up to the totals.
        JsonNode history = api.get("/models/" + cnn + "/feedback/history?bucket=minute").json();
        long perMinute = 0;
        long rightPerMinute = 0;
        for (JsonNode point : history.get("points")) {
            perMinute += point.get("labelled").asLong();
            rightPerMinute += point.get("correct").asLong();
        }
        JsonNode now = api.get("/models/" + cnn + "/feedback").json();
        assertThat(perMinute).isEqualTo(now.get("labelled").asLong());
        assertThat(rightPerMinute).isEqualTo(now.get("correct").asLong());
        ApiClient.Response week = api.get("/models/" + cnn + "/feedback/history?bucket=week");
        assertThat(week.status()).isEqualTo(400);
        assertThat(week.json().get("detail").asString()).contains("minute, hour or day");

        String series = "deepmnist_feedback_labelled{model=\"" + cnn + "\"} " + (double) after.get("labelled").asLong();
        long deadline = System.nanoTime() + 10_000_000_000L;
        String metrics = new ApiClient(managementPort).get("/actuator/prometheus").body();
        while (!metrics.contains(series) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            metrics = new ApiClient(managementPort).get("/actuator/prometheus").body();
        }
        assertThat(metrics).contains(series)
                .contains("deepmnist_feedback_correct{model=\"" + cnn + "\"} " + (double) after.get("correct").asLong());
    }

    @Test
    void unknownIdsAndBadDigitsAreRefused() {
        ApiClient.Response answer = api.post("/predict", "{\"pixels\":[" + "0,".repeat(783) + "0]}");
        String id = answer.json().get("predictions").get(0).get("predictionId").asString();
        assertThat(feedback("00000000-0000-4000-8000-000000000000", 3).status()).isEqualTo(404);
        assertThat(feedback("not-an-id", 3).status()).isEqualTo(404);
        assertThat(feedback(id, 10).status()).isEqualTo(400);
        assertThat(api.post("/predictions/" + id + "/feedback", "{}").status()).isEqualTo(400);
        assertThat(feedback(id, 3).status()).isEqualTo(200);
        assertThat(api.get("/models/nope/feedback").status()).isEqualTo(404);

        String oip = "{\"inputs\":[{\"name\":\"images\",\"datatype\":\"FP32\",\"shape\":[2,784],\"data\":[" + "0,".repeat(1567) + "0]}]}";
        String[] oipIds = api.post("/v2/models/mnist/infer", oip).header("X-Prediction-Ids").split(",");
        assertThat(oipIds).hasSize(2);
        assertThat(feedback(oipIds[1], 1).status()).isEqualTo(200);
    }

    @Test
    void madeUpIdsDatedNowAreRefusedToo() throws Exception {
        // Such an id could be a prediction of another replica still on its way to the store: a label waits for it,
        // at most MAX_WAITING_LABELS at once; more than that at once are refused without waiting.
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String id = versionSevenId(System.currentTimeMillis());
                statuses.add(senders.submit(() -> feedback(id, 3).status()));
            }
            for (Future<Integer> status : statuses) {
                assertThat(status.get(30, TimeUnit.SECONDS)).isEqualTo(404); // the deadline only catches a hang
            }
        } finally {
            senders.shutdownNow();
        }
        ApiClient.Response ahead = feedback(versionSevenId(System.currentTimeMillis() + Duration.ofDays(1).toMillis()), 3);
        assertThat(ahead.status()).isEqualTo(404);
        assertThat(ahead.header("Content-Type")).startsWith("application/problem+json");
    }

    private static String versionSevenId(long millis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new UUID((millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL),
                (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
    }

    private ApiClient.Response feedback(String id, int digit) {
        return api.post("/predictions/" + id + "/feedback", "{\"digit\":" + digit + "}");
    }

    private static int[] labels(int count) {
        float[] images = new float[count * MnistFile.PIXELS];
        float[] oneHot = new float[count * MnistFile.CLASSES];
        RealMnist.get().test().copyRange(0, count, images, oneHot);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < MnistFile.CLASSES; c++) {
                if (oneHot[i * MnistFile.CLASSES + c] > 0.5f) {
                    labels[i] = c;
                }
            }
        }
        return labels;
    }
}
