package io.deepmnist.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.deepmnist.ApiClient;
import io.deepmnist.TestHome;
import io.deepmnist.TrainsCnn;
import io.deepmnist.dataset.MnistFile;
import io.deepmnist.dataset.RealMnist;
import io.deepmnist.engine.EngineSettings;
import io.deepmnist.engine.ModelExporter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** 500 single-image requests from 32 client threads at once, through the dynamic batcher: each gets its own answer. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TrainsCnn
class BatchingApiTests {

    static final int REQUESTS = 500;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        Path home = TestHome.register(registry);
        TrainedModels.linkInto(home, TrainedModels.cnn());
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    /** Each digit alone through the SavedModel in this JVM, no HTTP and no batching. */
    static float[] singleImagePredictions(float[] images) {
        Path dir = TrainedModels.cnn().dir();
        LoadedModel model = LoadedModel.load(new ModelEntry(ModelExporter.readManifest(dir), dir), EngineSettings.defaults());
        try {
            float[] all = new float[REQUESTS * MnistFile.CLASSES];
            float[] one = new float[MnistFile.PIXELS];
            for (int i = 0; i < REQUESTS; i++) {
                System.arraycopy(images, i * MnistFile.PIXELS, one, 0, MnistFile.PIXELS);
                System.arraycopy(model.probabilities(one, 1), 0, all, i * MnistFile.CLASSES, MnistFile.CLASSES);
            }
            return all;
        } finally {
            model.retire();
        }
    }

    static float[] testImages() {
        float[] images = new float[REQUESTS * MnistFile.PIXELS];
        RealMnist.get().test().copyRange(0, REQUESTS, images, new float[REQUESTS * MnistFile.CLASSES]);
        return images;
    }

    static List<JsonNode> predictConcurrently(int port, float[] images) throws Exception {
        ApiClient api = new ApiClient(port);
        api.post("/models/" + TrainedModels.cnn().id() + "/promote", null);
        ExecutorService clients = Executors.newFixedThreadPool(32);
        try {
            List<Future<JsonNode>> answers = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                StringBuilder json = new StringBuilder("{\"pixels\":[");
                for (int p = 0; p < MnistFile.PIXELS; p++) {
                    json.append(p == 0 ? "" : ",").append(images[i * MnistFile.PIXELS + p]);
                }
                String body = json.append("]}").toString();
                answers.add(clients.submit(() -> {
                    ApiClient.Response response = api.post("/predict", body);
                    assertThat(response.status()).as(response.body()).isEqualTo(200);
                    return response.json().get("predictions").get(0);
                }));
            }
            List<JsonNode> results = new ArrayList<>();
            for (Future<JsonNode> answer : answers) {
                results.add(answer.get());
            }
            return results;
        } finally {
            clients.shutdown();
        }
    }

    static void assertSameAsSingleImage(List<JsonNode> answers, float[] expected, double tolerance) {
        for (int i = 0; i < REQUESTS; i++) {
            JsonNode p = answers.get(i);
            int best = 0;
            for (int c = 1; c < 10; c++) {
                best = expected[i * 10 + c] > expected[i * 10 + best] ? c : best;
            }
            assertThat(p.get("digit").asInt()).as("request %d", i).isEqualTo(best);
            for (int c = 0; c < 10; c++) {
                assertThat((float) p.get("probabilities").get(c).asDouble()).as("request %d class %d", i, c)
                        .isCloseTo(expected[i * 10 + c], within((float) tolerance));
            }
        }
    }

    @Test
    void concurrentRequestsAreBatchedAndEachGetsItsOwnAnswer() throws Exception {
        float[] images = testImages();
        List<JsonNode> answers = predictConcurrently(port, images);

        assertSameAsSingleImage(answers, singleImagePredictions(images), 1e-5);
        JsonNode batch = new ApiClient(managementPort).get("/actuator/metrics/deepmnist.predict.batch.size").json();
        double runs = 0;
        double batched = 0;
        for (JsonNode m : batch.get("measurements")) {
            switch (m.get("statistic").asString()) {
                case "COUNT" -> runs = m.get("value").asDouble();
                case "TOTAL" -> batched = m.get("value").asDouble();
                default -> { }
            }
        }
        assertThat(batched).isEqualTo(REQUESTS);
        assertThat(runs).as("some requests shared a session run: %s", batch).isLessThan(REQUESTS);
    }
}
