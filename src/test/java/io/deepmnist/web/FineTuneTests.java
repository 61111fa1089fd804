package io.deepmnist.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient;
import io.deepmnist.TrainsCnn;
import io.deepmnist.dataset.DataSplit;
import io.deepmnist.dataset.MnistFile;
import io.deepmnist.dataset.RealMnist;
import io.deepmnist.inference.TrainedModels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A job learns from the corrections: it starts from a model's weights, mixes the labelled predictions into its
 * batches and names its model with an alias (issue 34, item 7).
 */
@TrainsCnn
class FineTuneTests extends ProtocolApiContext {

    private static final int DIGITS = 1000;
    private static final String ALIAS = "fine-tuned";

    @Test
    void aFineTuneOnCorrectedLabelsGetsMoreOfThoseDigitsRight() {
        String parent = TrainedModels.softmax().id();
        DataSplit test = RealMnist.get().test();
        float[] images = new float[DIGITS * MnistFile.PIXELS];
        test.copyRange(0, DIGITS, images, new float[DIGITS * MnistFile.CLASSES]);

        // The digits the parent gets wrong, each labelled with its right digit.
        List<Integer> wrong = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        int[] answers = digits("/models/" + parent + "/predict", images, DIGITS, ids::add);
        for (int i = 0; i < DIGITS; i++) {
            if (answers[i] != test.digit(i)) {
                wrong.add(i);
                ApiClient.Response labelled = api.post("/predictions/" + ids.get(i) + "/feedback", "{\"digit\":" + test.digit(i) + "}");
                assertThat(labelled.status()).as(labelled.body()).isEqualTo(200);
            }
        }
        assertThat(wrong).as("the tutorial's softmax gets about 8%% of the test digits wrong").hasSizeBetween(30, 200);

        JsonNode job = api.submit("{\"model\":\"softmax\",\"from\":\"" + parent + "\",\"steps\":300,\"seed\":7,"
                + "\"data\":{\"feedback\":true,\"ratio\":0.2},\"alias\":\"" + ALIAS + "\"}");
        assertThat(job.get("from").asString()).isEqualTo(parent);
        assertThat(job.get("feedbackRatio").asDouble()).isEqualTo(0.2);
        assertThat(job.get("hyperparameters").get("learningRate").asDouble()).isEqualTo(0.5);
        JsonNode done = api.awaitJob(job.get("id").asString(), j -> j.get("state").asString().matches("SUCCEEDED|FAILED|CANCELLED"),
                Duration.ofMinutes(3));
        assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        String child = done.get("modelId").asString();
        assertThat(api.get("/models/aliases").json().valueStream().filter(a -> a.get("alias").asString().equals(ALIAS))
                .map(a -> a.get("modelId").asString()).toList()).containsExactly(child);
        assertThat(api.get("/models/default").json().get("id").asString()).as("a challenger is not promoted")
                .isEqualTo(TrainedModels.cnn().id());
        assertThat(api.get("/models/" + child).json().get("parentModelId").asString()).isEqualTo(parent);
        assertThat(done.get("testAccuracy").asDouble()).as("the fine-tune keeps what the parent knew").isGreaterThan(0.88);

        float[] hard = new float[wrong.size() * MnistFile.PIXELS];
        for (int k = 0; k < wrong.size(); k++) {
            System.arraycopy(images, wrong.get(k) * MnistFile.PIXELS, hard, k * MnistFile.PIXELS, MnistFile.PIXELS);
        }
        int[] after = digits("/models/" + ALIAS + "/predict", hard, wrong.size(), id -> { });
        int right = 0;
        for (int k = 0; k < wrong.size(); k++) {
            right += after[k] == test.digit(wrong.get(k)) ? 1 : 0;
        }
        System.out.printf("Fine-tune: the parent got 0 of %d corrected digits right, the fine-tuned model %d%n", wrong.size(), right);
        assertThat(right).as("corrected digits the fine-tuned model gets right (the parent got none)").isGreaterThan(wrong.size() / 2);

        List<ApiClient.SseEvent> feedback = api.allEvents(job.get("id").asString(), null).stream()
                .filter(e -> "evaluation".equals(e.type()) && "feedback".equals(e.data().get("split").asString())).toList();
        assertThat(feedback).hasSize(2);
        assertThat(feedback.get(1).data().get("accuracy").asDouble()).isGreaterThan(feedback.get(0).data().get("accuracy").asDouble());
    }

    @Test
    void requestsThatDoNotFitTogetherAreRefusedWithWhatToChange() {
        String softmax = TrainedModels.softmax().id();
        assertRefused("{\"model\":\"softmax\",\"from\":\"no-such-model\"}", 400, "no model or alias 'no-such-model'");
        assertRefused("{\"model\":\"cnn\",\"from\":\"" + softmax + "\"}", 400, "model must be softmax");
        assertRefused("{\"model\":\"softmax\",\"from\":\"" + softmax + "\",\"optimizer\":\"adam\"}", 400, "optimizer must be gradient-descent");
        assertRefused("{\"model\":\"softmax\",\"data\":{\"feedback\":true,\"ratio\":-0.2}}", 400, "data.ratio");
        assertRefused("{\"model\":\"softmax\",\"data\":{\"feedback\":true,\"ratio\":1.5}}", 400, "data.ratio");
        assertRefused("{\"model\":\"softmax\",\"data\":{\"ratio\":0.5}}", 400, "needs data.feedback");
        assertRefused("{\"model\":\"softmax\",\"alias\":\"Not An Alias\"}", 400, "alias");
        assertRefused("{\"model\":\"softmax\",\"alias\":\"" + softmax + "\"}", 409, softmax);
        assertRefused("{\"model\":\"softmax\",\"alias\":\"challenger\",\"promote\":true}", 400, "contradict");
    }

    private void assertRefused(String body, int status, String detail) {
        ApiClient.Response answer = api.post("/jobs", body);
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.json().get("detail").asString()).contains(detail);
    }

    /** The digits a model answers for {@code count} images, in requests of 100; each prediction id goes to {@code ids}. */
    private int[] digits(String path, float[] images, int count, Consumer<String> ids) {
        int[] digits = new int[count];
        for (int first = 0; first < count; first += 100) {
            int n = Math.min(100, count - first);
            ApiClient.Response answer = api.post(path + "?preprocess=false", "{\"instances\":" + ProtocolBodies.rows(images, first, n) + "}");
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            for (int i = 0; i < n; i++) {
                JsonNode prediction = answer.json().get("predictions").get(i);
                digits[first + i] = prediction.get("digit").asInt();
                ids.accept(prediction.get("predictionId").asString());
            }
        }
        return digits;
    }
}
