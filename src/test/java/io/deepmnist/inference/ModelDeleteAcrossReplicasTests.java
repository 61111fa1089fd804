package io.deepmnist.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient;
import io.deepmnist.DeepMnistApplication;
import io.deepmnist.TestHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Two replicas on one store and one home. Replica A has not yet heard that B promoted a model (its registry
 * refresh is an hour away), so by its own idea of the default it may delete it. The store refuses: the default
 * references the model, whatever a replica believes. Before, A deleted the files of the model B was serving.
 */
class ModelDeleteAcrossReplicasTests {

    @Test
    void aReplicaCannotDeleteTheModelAnotherJustPromoted() throws Exception {
        Path home = TestHome.create();
        try (ConfigurableApplicationContext a = replica(home, "a", "1h")) {
            ApiClient apiA = TestHome.api(a);
            String first = train(apiA, 60);
            String second = train(apiA, 20);
            List<JsonNode> models = List.copyOf(apiA.get("/models").json().valueStream().toList());
            String notDefault = models.stream().filter(m -> !m.get("isDefault").asBoolean()).findFirst().orElseThrow()
                    .get("id").asString();
            assertThat(List.of(first, second)).contains(notDefault);

            try (ConfigurableApplicationContext b = replica(home, "b", "200ms")) {
                ApiClient apiB = TestHome.api(b);
                assertThat(apiB.post("/models/" + notDefault + "/promote", null).status()).isEqualTo(200);

                ApiClient.Response deleted = apiA.send("DELETE", "/models/" + notDefault, null, null);
                assertThat(deleted.status()).as(deleted.body()).isEqualTo(409);
                assertThat(deleted.header("Content-Type")).startsWith("application/problem+json");
                assertThat(Files.exists(home.resolve("models").resolve(notDefault).resolve("saved_model.pb"))).isTrue();
                String pixels = "{\"pixels\":[" + "0,".repeat(783) + "0]}";
                ApiClient.Response predicted = apiB.post("/predict", pixels);
                assertThat(predicted.status()).as(predicted.body()).isEqualTo(200);
                assertThat(predicted.json().get("modelId").asString()).isEqualTo(notDefault);
            }
        }
    }

    private static String train(ApiClient api, int steps) {
        String id = api.submit("{\"model\":\"softmax\",\"steps\":" + steps + ",\"promote\":false}").get("id").asString();
        return api.awaitJob(id, j -> j.get("state").asString().equals("SUCCEEDED"), Duration.ofSeconds(120))
                .get("modelId").asString();
    }

    /** A replica on the home's embedded store, which every context of this JVM shares. */
    private static ConfigurableApplicationContext replica(Path home, String name, String registryRefresh) {
        return SpringApplication.run(DeepMnistApplication.class, "--server.port=0", "--management.server.port=0",
                "--mnist.home=" + home, "--mnist.jobs.node=" + name, "--mnist.inference.registry-refresh=" + registryRefresh,
                "--mnist.inference.warm-up=0s");
    }
}
