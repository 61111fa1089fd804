package io.deepmnist.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient;
import io.deepmnist.TestHome;
import io.deepmnist.inference.TrainedModels;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * One running service for the tests of both standard protocols (one cached context): the shared CNN, the
 * default model, and the tutorial's softmax beside it. The batcher waits up to 20 ms so that concurrent
 * requests visibly share session runs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"mnist.inference.batching.max-wait=20ms", "mnist.feedback.metrics-every=200ms"})
abstract class ProtocolApiContext {

    static final Path HOME = TestHome.create();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TrainedModels.linkInto(HOME, TrainedModels.cnn(), TrainedModels.softmax());
        registry.add("mnist.home", HOME::toString);
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    /** Actuator, on its own port. */
    private ApiClient management() {
        return new ApiClient(managementPort);
    }

    ApiClient api;

    @BeforeEach
    void promoteTheCnn() {
        api = new ApiClient(port);
        assertThat(api.post("/models/" + TrainedModels.cnn().id() + "/promote", null).status()).isEqualTo(200);
    }

    /** The registry's version of a model, as GET /models/{id} shows it. */
    long version(String modelId) {
        return api.get("/models/" + modelId).json().get("version").asLong();
    }

    /** Session runs and images of the dynamic batcher so far. */
    long[] batcherRunsAndImages() {
        long[] counts = new long[2];
        for (JsonNode m : management().get("/actuator/metrics/deepmnist.predict.batch.size").json().get("measurements")) {
            switch (m.get("statistic").asString()) {
                case "COUNT" -> counts[0] = (long) m.get("value").asDouble();
                case "TOTAL" -> counts[1] = (long) m.get("value").asDouble();
                default -> { }
            }
        }
        return counts;
    }
}
