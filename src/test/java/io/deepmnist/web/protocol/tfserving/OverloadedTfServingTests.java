package io.deepmnist.web.protocol.tfserving;

import io.deepmnist.inference.ModelRegistry;
import io.deepmnist.inference.Predictor;
import io.deepmnist.web.http.Overloaded;
import io.deepmnist.web.http.WebSliceProperties;
import io.deepmnist.web.protocol.ServedModels;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** A model whose batching queue is full: 503 with Retry-After, as TensorFlow Serving's error. */
@WebMvcTest(controllers = TfServingController.class)
@Import({WebSliceProperties.class, ServedModels.class})
class OverloadedTfServingTests {

    @Autowired
    MockMvc mvc;

    @MockitoBean
    Predictor predictor;

    @MockitoBean
    ModelRegistry registry;

    @MockitoBean
    HealthEndpoint health;

    @Test
    void aFullQueueIs503WithRetryAfter() throws Exception {
        Overloaded.queueIsFull(predictor);
        Overloaded.assertRefused(mvc, "/v1/models/mnist:predict", "{\"instances\":[" + Overloaded.PIXELS + "]}", "application/json");
    }
}
