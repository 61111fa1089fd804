package io.deepmnist.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient;
import io.deepmnist.TestHome;
import io.deepmnist.TrainsCnn;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** With batching switched off, every request runs alone and answers exactly as the model does in process. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TrainsCnn
class UnbatchedApiTests {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        Path home = TestHome.register(registry);
        TrainedModels.linkInto(home, TrainedModels.cnn());
        registry.add("mnist.inference.batching.enabled", () -> "false");
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Test
    void batchingOffGivesIdenticalPredictions() throws Exception {
        float[] images = BatchingApiTests.testImages();
        List<JsonNode> answers = BatchingApiTests.predictConcurrently(port, images);

        BatchingApiTests.assertSameAsSingleImage(answers, BatchingApiTests.singleImagePredictions(images), 0);
        JsonNode batches = new ApiClient(managementPort).get("/actuator/metrics/deepmnist.predict.batch.size").json();
        assertThat(batches.get("measurements").get(0).get("statistic").asString()).isEqualTo("COUNT");
        assertThat(batches.get("measurements").get(0).get("value").asDouble()).as("no batcher ran").isZero();
    }
}
