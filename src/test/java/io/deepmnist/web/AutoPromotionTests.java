package io.deepmnist.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient;
import io.deepmnist.TrainsCnn;
import io.deepmnist.dataset.DataSplit;
import io.deepmnist.dataset.MnistFile;
import io.deepmnist.dataset.RealMnist;
import io.deepmnist.inference.TrainedModels;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The traffic policy's autoPromote rule decides on the labelled predictions: the tests' CNN (about 98 %) against the
 * tutorial's softmax (about 92 %) on 600 test digits split 50/50, each labelled with its true digit. Each decision is
 * an event on /models/events (issue 34, item 6).
 */
@TrainsCnn
class AutoPromotionTests extends ProtocolApiContext {

    private static final String RULE = "{\"routes\":[{\"alias\":\"default\",\"weight\":50},{\"alias\":\"challenger\",\"weight\":50}],"
            + "\"stickyHeader\":\"X-Client-Id\",\"autoPromote\":{\"minLabels\":150,\"margin\":0.0}}";

    @AfterEach
    void endTheSplit() {
        api.send("DELETE", "/models/traffic", null, null);
    }

    @Test
    void aWorseChallengerLosesItsShareOnTheEvidence() {
        String softmax = TrainedModels.softmax().id();
        String cnn = TrainedModels.cnn().id();
        assertThat(api.send("PUT", "/models/aliases/challenger", "application/json", "{\"modelId\":\"" + softmax + "\"}").status()).isEqualTo(200);
        assertThat(api.send("PUT", "/models/traffic", "application/json", RULE).status()).isEqualTo(200);

        sendAndLabel(2000, 600);
        JsonNode decision = decision(softmax, "rollback");
        assertThat(decision.get("defaultModel").get("modelId").asString()).isEqualTo(cnn);
        assertThat(decision.get("challenger").get("labelled").asLong()).isGreaterThanOrEqualTo(150);
        assertThat(decision.get("defaultModel").get("labelled").asLong()).isGreaterThanOrEqualTo(150);
        assertThat(decision.get("z").asDouble()).isGreaterThan(decision.get("critical").asDouble());
        assertThat(decision.get("challenger").get("accuracy").asDouble()).isLessThan(decision.get("defaultModel").get("accuracy").asDouble());

        assertThat(api.get("/models/traffic").json().get("routes")).hasSize(1);
        assertThat(api.get("/models/default").json().get("id").asString()).isEqualTo(cnn);
    }

    @Test
    void aBetterChallengerIsPromotedOnTheEvidence() {
        String softmax = TrainedModels.softmax().id();
        String cnn = TrainedModels.cnn().id();
        assertThat(api.post("/models/" + softmax + "/promote", null).status()).isEqualTo(200);
        assertThat(api.send("PUT", "/models/aliases/challenger", "application/json", "{\"modelId\":\"" + cnn + "\"}").status()).isEqualTo(200);
        assertThat(api.send("PUT", "/models/traffic", "application/json", RULE).status()).isEqualTo(200);

        sendAndLabel(2600, 600);
        JsonNode decision = decision(cnn, "promote");
        assertThat(decision.get("defaultModel").get("modelId").asString()).isEqualTo(softmax);
        assertThat(decision.get("z").asDouble()).isGreaterThan(1.6448);

        assertThat(api.get("/models/default").json().get("id").asString()).isEqualTo(cnn);
        assertThat(api.get("/models/traffic").json().get("routes")).hasSize(1);
    }

    /**
     * Test digits {@code first} to {@code first + count - 1}, one request each from its own client id, each labelled;
     * it stops early once the policy is gone (a decision was taken), since the rest would all go to the default.
     */
    private void sendAndLabel(int first, int count) {
        DataSplit test = RealMnist.get().test();
        float[] image = new float[MnistFile.PIXELS];
        for (int i = first; i < first + count; i++) {
            if ((i - first) % 50 == 49 && api.get("/models/traffic").json().get("routes").size() == 1) {
                return;
            }
            test.copyRange(i, 1, image, new float[MnistFile.CLASSES]);
            ApiClient.Response answer = api.sendWithHeader("/predict?preprocess=false", "X-Client-Id", "client-" + i, "{\"pixels\":" + ProtocolBodies.pixels(image, 0, false, false) + "}");
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            JsonNode id = answer.json().get("predictions").get(0).get("predictionId");
            assertThat(id != null && id.isString()).as("a logged prediction: %s", answer.body()).isTrue();
            ApiClient.Response labelled = api.post("/predictions/" + id.asString() + "/feedback", "{\"digit\":" + test.digit(i) + "}");
            assertThat(labelled.status()).as(labelled.body()).isEqualTo(200);
        }
    }

    /** Waits on /models/events for the decision about {@code challengerId}, and checks the policy's reset follows it. */
    private JsonNode decision(String challengerId, String kind) {
        List<ApiClient.SseEvent> events = api.stream("/models/events", null, Duration.ofSeconds(60), e -> e.type().equals("decision")
                && e.data().get("challenger").get("modelId").asString().equals(challengerId)
                && e.data().get("decision").asString().equals(kind));
        ApiClient.SseEvent last = events.get(events.size() - 1);
        assertThat(last.type()).as("events: " + events).isEqualTo("decision");
        List<ApiClient.SseEvent> after = api.stream("/models/events", last.id(), Duration.ofSeconds(10), e -> e.type().equals("traffic"));
        assertThat(after.get(after.size() - 1).data().get("policy").isNull()).isTrue();
        return last.data();
    }
}
