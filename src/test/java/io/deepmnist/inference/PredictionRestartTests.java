package io.deepmnist.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient;
import io.deepmnist.TestHome;
import io.deepmnist.TrainsCnn;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** The registry and the default model survive a restart, and predictions do not wait for training. */
@TrainsCnn
class PredictionRestartTests {

    private final Path home = TestHome.create();


    @Test
    void theDefaultModelIsBackAfterARestartAndAnswersWhileAJobTrains() {
        TrainedModels.linkInto(home, TrainedModels.cnn(), TrainedModels.softmax());
        String chosen = TrainedModels.softmax().id();
        try (ConfigurableApplicationContext first = TestHome.start(home)) {
            assertThat(TestHome.api(first).post("/models/" + chosen + "/promote", null).status()).isEqualTo(200);
        }
        try (ConfigurableApplicationContext second = TestHome.start(home)) {
            ApiClient api = TestHome.api(second);
            JsonNode models = api.get("/models").json();
            assertThat(models).hasSize(2);
            assertThat(api.get("/models/" + chosen).json().get("isDefault").asBoolean()).isTrue();

            String job = api.submit("{\"model\":\"cnn\",\"seed\":1}").get("id").asString();
            api.awaitJob(job, j -> j.get("state").asString().equals("RUNNING"), Duration.ofSeconds(30));
            StringBuilder pixels = new StringBuilder();
            float[] images = TrainedModels.probeImages();
            for (int i = 0; i < 784; i++) {
                pixels.append(i == 0 ? "" : ",").append(images[i]);
            }
            ApiClient.Response prediction = api.post("/predict", "{\"pixels\":[" + pixels + "]}");

            assertThat(prediction.status()).isEqualTo(200);
            assertThat(prediction.json().get("modelId").asString()).isEqualTo(chosen);
            assertThat(api.get("/jobs/" + job).json().get("state").asString()).isEqualTo("RUNNING");
            api.post("/jobs/" + job + "/cancel", null);
            api.awaitJob(job, j -> j.get("state").asString().equals("CANCELLED"), Duration.ofSeconds(30));
        }
    }
}
