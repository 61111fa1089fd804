package io.deepmnist.web.protocol.oip;

import io.deepmnist.web.http.Overloaded;
import io.deepmnist.web.http.WebSliceProperties;
import io.deepmnist.web.protocol.ServedModels;
import org.junit.jupiter.api.Test;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;

/** A model whose batching queue is full: 503 with Retry-After, as the Open Inference Protocol's error. */
@WebMvcTest(controllers = OipController.class)
@Import({WebSliceProperties.class, ServedModels.class})
class OverloadedOipTests extends Overloaded {

    @Test
    void aFullQueueIs503WithRetryAfter() throws Exception {
        assertRefused("/v2/models/mnist/infer",
                "{\"inputs\":[{\"name\":\"images\",\"datatype\":\"FP32\",\"shape\":[1,784],\"data\":" + PIXELS + "}]}", "application/json");
    }
}
