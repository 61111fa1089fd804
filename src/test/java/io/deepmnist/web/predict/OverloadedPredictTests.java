package io.deepmnist.web.predict;

import io.deepmnist.web.http.Overloaded;
import io.deepmnist.web.http.WebSliceProperties;
import io.deepmnist.web.protocol.ServedModels;
import org.junit.jupiter.api.Test;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;

/** A model whose batching queue is full: 503 with Retry-After, as a problem detail. */
@WebMvcTest(controllers = PredictController.class)
@Import({WebSliceProperties.class, ServedModels.class})
class OverloadedPredictTests extends Overloaded {

    @Test
    void aFullQueueIs503WithRetryAfter() throws Exception {
        assertRefused("/predict", "{\"pixels\":" + PIXELS + "}", "application/problem+json");
    }
}
