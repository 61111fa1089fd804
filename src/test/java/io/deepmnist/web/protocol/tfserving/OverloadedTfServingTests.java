package io.deepmnist.web.protocol.tfserving;

import io.deepmnist.web.http.Overloaded;
import io.deepmnist.web.http.WebSliceProperties;
import io.deepmnist.web.protocol.ServedModels;
import org.junit.jupiter.api.Test;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;

/** A model whose batching queue is full: 503 with Retry-After, as TensorFlow Serving's error. */
@WebMvcTest(controllers = TfServingController.class)
@Import({WebSliceProperties.class, ServedModels.class})
class OverloadedTfServingTests extends Overloaded {

    @Test
    void aFullQueueIs503WithRetryAfter() throws Exception {
        assertRefused("/v1/models/mnist:predict", "{\"instances\":[" + PIXELS + "]}", "application/json");
    }
}
