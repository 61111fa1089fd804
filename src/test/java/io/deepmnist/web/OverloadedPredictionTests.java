package io.deepmnist.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.BDDMockito.given;

import io.deepmnist.inference.ModelRegistry;
import io.deepmnist.inference.PredictionRejectedException;
import io.deepmnist.inference.PredictionRejectedException.Reason;
import io.deepmnist.inference.Predictor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/** A model whose batching queue is full: 503 with Retry-After, as a problem detail, and as each protocol's error. */
@WebMvcTest(controllers = {PredictController.class, OipController.class, TfServingController.class})
@Import({WebSliceProperties.class, ServedModels.class})
class OverloadedPredictionTests {

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
        PredictionRejectedException full = new PredictionRejectedException(Reason.OVERLOADED,
                "256 prediction requests are already waiting for this model (mnist.inference.batching.max-queue); try again in a moment");
        given(predictor.predictPixels(any(), any(), anyBoolean())).willThrow(full);
        String pixels = "[" + "0,".repeat(783) + "0]";
        record Call(String path, String body, String contentType) {
        }
        for (Call call : new Call[] {
                new Call("/predict", "{\"pixels\":" + pixels + "}", "application/problem+json"),
                new Call("/v2/models/mnist/infer", "{\"inputs\":[{\"name\":\"images\",\"datatype\":\"FP32\",\"shape\":[1,784],\"data\":"
                        + pixels + "}]}", "application/json"),
                new Call("/v1/models/mnist:predict", "{\"instances\":[" + pixels + "]}", "application/json")}) {
            MockHttpServletResponse response = mvc.perform(MockMvcRequestBuilders.post(call.path())
                    .contentType("application/json").content(call.body())).andReturn().getResponse();
            assertThat(response.getStatus()).as(call.path() + " " + response.getContentAsString()).isEqualTo(503);
            assertThat(response.getHeader("Retry-After")).isEqualTo("1");
            assertThat(response.getContentType()).startsWith(call.contentType());
            assertThat(response.getContentAsString()).contains("max-queue");
        }
    }
}
