package io.deepmnist.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient;
import io.deepmnist.TrainsCnn;
import io.deepmnist.inference.TrainedModels;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Aliases name a model in every HTTP API, and the traffic policy shares the default name among them (issue 34,
 * items 1 and 2). The CNN is the default and the tutorial's softmax the challenger.
 */
@TrainsCnn
class ModelAliasesTests extends ProtocolApiContext {

    private static final String PIXELS = "{\"pixels\":[" + "0,".repeat(783) + "0]}";

    @AfterEach
    void removeWhatTheTestSet() {
        api.send("DELETE", "/models/traffic", null, null);
        api.send("DELETE", "/models/aliases/challenger", null, null);
    }

    @Test
    void anAliasNamesItsModelInEveryApi() {
        String softmax = TrainedModels.softmax().id();
        ApiClient.Response put = api.send("PUT", "/models/aliases/challenger", "application/json", "{\"modelId\":\"" + softmax + "\"}");
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.json().get("version").asLong()).isEqualTo(version(softmax));

        Map<String, String> aliases = new HashMap<>();
        api.get("/models/aliases").json().forEach(a -> aliases.put(a.get("alias").asString(), a.get("modelId").asString()));
        assertThat(aliases).containsEntry("default", TrainedModels.cnn().id()).containsEntry("challenger", softmax);
        assertThat(api.get("/models/challenger").json().get("aliases").valueStream().map(JsonNode::asString)).containsExactly("challenger");

        ApiClient.Response predicted = api.post("/models/challenger/predict", PIXELS);
        assertThat(predicted.json().get("modelId").asString()).isEqualTo(softmax);
        assertThat(predicted.header("X-Model-Id")).isEqualTo(softmax);
        assertThat(predicted.header("X-Model-Alias")).isEqualTo("challenger");

        String oip = "{\"inputs\":[{\"name\":\"images\",\"datatype\":\"FP32\",\"shape\":[1,784],\"data\":[" + "0,".repeat(783) + "0]}]}";
        ApiClient.Response inferred = api.post("/v2/models/mnist/versions/challenger/infer", oip);
        assertThat(inferred.status()).as(inferred.body()).isEqualTo(200);
        assertThat(inferred.json().get("model_version").asString()).isEqualTo(Long.toString(version(softmax)));
        assertThat(inferred.header("X-Model-Alias")).isEqualTo("challenger");

        ApiClient.Response labelled = api.post("/v1/models/mnist/labels/challenger:predict", "{\"instances\":[[" + "0,".repeat(783) + "0]]}");
        assertThat(labelled.status()).as(labelled.body()).isEqualTo(200);
        assertThat(labelled.header("X-Model-Id")).isEqualTo(softmax);
        assertThat(api.get("/v1/models/mnist/labels/challenger").json().get("model_version_status").get(0).get("version").asString())
                .isEqualTo(Long.toString(version(softmax)));

        ApiClient.Response byDefault = api.post("/predict", PIXELS);
        assertThat(byDefault.header("X-Model-Id")).isEqualTo(TrainedModels.cnn().id());
        assertThat(byDefault.header("X-Model-Alias")).isEqualTo("default");
        assertThat(api.post("/models/" + softmax + "/predict", PIXELS).header("X-Model-Alias")).isNull();
    }

    @Test
    void refusalsSayWhatToDo() {
        String softmax = TrainedModels.softmax().id();
        assertThat(put("Bad Name", softmax).status()).isEqualTo(400);
        assertThat(put("traffic", softmax).status()).isEqualTo(409);
        assertThat(put("events", softmax).status()).isEqualTo(409);
        assertThat(put(softmax, softmax).status()).isEqualTo(409);
        assertThat(put("challenger", "no-such-model").status()).isEqualTo(404);
        assertThat(api.send("PUT", "/models/aliases/challenger", "application/json", "{}").status()).isEqualTo(400);
        assertThat(api.send("DELETE", "/models/aliases/nobody", null, null).status()).isEqualTo(404);
        assertThat(api.send("DELETE", "/models/aliases/default", null, null).status()).isEqualTo(409);
        assertThat(api.post("/v1/models/mnist/labels/nobody:predict", "{\"instances\":[[0]]}").status()).isEqualTo(404);

        assertThat(put("challenger", softmax).status()).isEqualTo(200);
        ApiClient.Response deleteModel = api.send("DELETE", "/models/" + softmax, null, null);
        assertThat(deleteModel.status()).isEqualTo(409);
        assertThat(deleteModel.json().get("detail").asString()).contains("[challenger]");

        assertThat(policy("{\"routes\":[{\"alias\":\"default\",\"weight\":1},{\"alias\":\"nobody\",\"weight\":1}]}").status()).isEqualTo(404);
        assertThat(policy("{\"routes\":[{\"alias\":\"default\",\"weight\":0}]}").status()).isEqualTo(400);
        assertThat(policy("{\"routes\":[]}").status()).isEqualTo(400);
        ApiClient.Response notPercentages = policy("{\"routes\":[{\"alias\":\"default\",\"weight\":90},{\"alias\":\"challenger\",\"weight\":20}]}");
        assertThat(notPercentages.status()).isEqualTo(400);
        assertThat(notPercentages.json().get("detail").asString()).contains("add up to 110").contains("100");
        assertThat(policy("{\"routes\":[{\"alias\":\"default\",\"weight\":90},{\"alias\":\"challenger\",\"weight\":10}],"
                + "\"autoPromote\":{\"minLabels\":0}}").status()).isEqualTo(400);
        assertThat(policy("{\"routes\":[{\"alias\":\"default\",\"weight\":100}],\"autoPromote\":{}}").json().get("detail").asString())
                .contains("challenger");
        assertThat(policy("{\"routes\":[{\"alias\":\"default\",\"weight\":100}],\"shadow\":\"nobody\"}").status()).isEqualTo(404);
        assertThat(policy("{\"routes\":[{\"alias\":\"default\",\"weight\":100}],\"stickyHeader\":\"not a header\"}").status()).isEqualTo(400);
        assertThat(policy("{\"routes\":[{\"alias\":\"default\",\"weight\":90},{\"alias\":\"challenger\",\"weight\":10}]}").status()).isEqualTo(200);
        ApiClient.Response inUse = api.send("DELETE", "/models/aliases/challenger", null, null);
        assertThat(inUse.status()).isEqualTo(409);
        assertThat(inUse.json().get("detail").asString()).contains("/models/traffic");
    }

    /**
     * 2,000 requests with random client ids on a 90/10 split: the challenger's share lies in the 99.9 % binomial
     * interval around 10 % (200 +- 3.29 sd, sd = sqrt(2000 * 0.1 * 0.9) = 13.4: 156 to 244). One client id meets
     * one version, 50 times in a row.
     */
    @Test
    void aWeightedSplitSharesTheDefaultNameAndAStickyHeaderPinsAClient() {
        String softmax = TrainedModels.softmax().id();
        assertThat(put("challenger", softmax).status()).isEqualTo(200);
        ApiClient.Response set = policy("{\"routes\":[{\"alias\":\"default\",\"weight\":90},{\"alias\":\"challenger\",\"weight\":10}],"
                + "\"stickyHeader\":\"X-Client-Id\"}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(api.get("/models/traffic").json().get("stickyHeader").asString()).isEqualTo("X-Client-Id");

        int challenger = 0;
        // Random ids from a fixed seed: the same 2,000 in every run, so the test cannot fail by chance.
        SplittableRandom random = new SplittableRandom(34);
        for (int i = 0; i < 2000; i++) {
            String client = new UUID(random.nextLong(), random.nextLong()).toString();
            ApiClient.Response answer = api.sendWithHeader("/predict", "X-Client-Id", client, PIXELS);
            assertThat(answer.status()).isEqualTo(200);
            String alias = answer.header("X-Model-Alias");
            String model = answer.json().get("modelId").asString();
            assertThat(model).isEqualTo(alias.equals("challenger") ? softmax : TrainedModels.cnn().id());
            challenger += alias.equals("challenger") ? 1 : 0;
        }
        assertThat(challenger).isBetween(156, 244);

        for (String client : new String[] {"client-a", "client-b", "client-c"}) {
            Set<String> met = new HashSet<>();
            for (int i = 0; i < 50; i++) {
                met.add(api.sendWithHeader("/predict", "X-Client-Id", client, PIXELS).header("X-Model-Alias"));
            }
            assertThat(met).as(client).hasSize(1);
        }

        assertThat(policy("{\"routes\":[{\"alias\":\"challenger\",\"weight\":100}]}").status()).isEqualTo(200);
        String oip = "{\"inputs\":[{\"name\":\"images\",\"datatype\":\"FP32\",\"shape\":[1,784],\"data\":[" + "0,".repeat(783) + "0]}]}";
        assertThat(api.post("/v2/models/mnist/infer", oip).header("X-Model-Id")).isEqualTo(softmax);
        assertThat(api.post("/v1/models/mnist:predict", "{\"instances\":[[" + "0,".repeat(783) + "0]]}").header("X-Model-Id"))
                .isEqualTo(softmax);
        assertThat(api.post("/models/" + TrainedModels.cnn().id() + "/predict", PIXELS).header("X-Model-Id"))
                .as("a request that names a model is not routed").isEqualTo(TrainedModels.cnn().id());

        assertThat(api.send("DELETE", "/models/traffic", null, null).status()).isEqualTo(204);
        assertThat(api.get("/models/traffic").json().get("routes").get(0).get("alias").asString()).isEqualTo("default");
        assertThat(api.post("/predict", PIXELS).header("X-Model-Id")).isEqualTo(TrainedModels.cnn().id());
    }

    /**
     * 200 test digits, one request each, with the shadow off and then on: the same digits every time, and the
     * shadow's agreement is what the test computes from the challenger's own answers (issue 34, item 3).
     */
    @Test
    void aShadowNeverChangesAnAnswerAndItsAgreementIsRecorded() throws InterruptedException {
        String softmax = TrainedModels.softmax().id();
        String cnn = TrainedModels.cnn().id();
        assertThat(put("challenger", softmax).status()).isEqualTo(200);
        int[] served = new int[TrainedModels.PROBE];
        int agreeing = 0;
        for (int i = 0; i < TrainedModels.PROBE; i++) {
            served[i] = digit(api.post("/predict?preprocess=false", "{\"pixels\":" + ProtocolBodies.pixels(i, false, false) + "}"));
            agreeing += digit(api.post("/models/challenger/predict?preprocess=false", "{\"pixels\":" + ProtocolBodies.pixels(i, false, false) + "}")) == served[i] ? 1 : 0;
        }
        assertThat(agreeing).as("the two models disagree on some digits").isLessThan(TrainedModels.PROBE);
        long[] before = comparedAndAgreed(cnn, softmax);

        assertThat(policy("{\"routes\":[{\"alias\":\"default\",\"weight\":100}],\"shadow\":\"challenger\"}").status()).isEqualTo(200);
        for (int i = 0; i < TrainedModels.PROBE; i++) {
            ApiClient.Response answer = api.post("/predict?preprocess=false", "{\"pixels\":" + ProtocolBodies.pixels(i, false, false) + "}");
            assertThat(answer.header("X-Model-Id")).isEqualTo(cnn);
            assertThat(digit(answer)).as("digit %d", i).isEqualTo(served[i]);
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        long[] after = comparedAndAgreed(cnn, softmax);
        while (after[0] - before[0] < TrainedModels.PROBE && System.nanoTime() < deadline) {
            Thread.sleep(50);
            after = comparedAndAgreed(cnn, softmax);
        }
        assertThat(api.get("/models/traffic/shadow").json().get("dropped").asLong()).isZero();
        assertThat(after[0] - before[0]).isEqualTo(TrainedModels.PROBE);
        assertThat(after[1] - before[1]).isEqualTo(agreeing);
        String metrics = new ApiClient(managementPort).get("/actuator/prometheus").body();
        assertThat(metrics).contains("deepmnist_shadow_images_total{agree=\"false\",served=\"" + cnn + "\",shadow=\"" + softmax + "\"}");
    }

    private long[] comparedAndAgreed(String served, String shadow) {
        for (JsonNode pair : api.get("/models/traffic/shadow").json().get("pairs")) {
            if (pair.get("servedModelId").asString().equals(served) && pair.get("shadowModelId").asString().equals(shadow)) {
                return new long[] {pair.get("compared").asLong(), pair.get("agreed").asLong()};
            }
        }
        return new long[2];
    }

    private static int digit(ApiClient.Response answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().get("predictions").get(0).get("digit").asInt();
    }

    private ApiClient.Response put(String alias, String modelId) {
        return api.send("PUT", "/models/aliases/" + alias.replace(" ", "%20"), "application/json", "{\"modelId\":\"" + modelId + "\"}");
    }

    private ApiClient.Response policy(String json) {
        return api.send("PUT", "/models/traffic", "application/json", json);
    }
}
