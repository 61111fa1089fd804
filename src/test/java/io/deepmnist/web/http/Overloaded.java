package io.deepmnist.web.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.BDDMockito.given;

import io.deepmnist.inference.ModelRegistry;
import io.deepmnist.inference.PredictionProtocol;
import io.deepmnist.inference.PredictionRejectedException.Reason;
import io.deepmnist.inference.PredictionRejectedException;
import io.deepmnist.inference.Predictor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * A model whose batching queue is full, as each prediction API's slice test provokes it: 503 with
 * {@code Retry-After}, as a problem detail on the service's own API and as the protocol's error on the standard
 * ones. Each subclass is a {@code @WebMvcTest} of one controller.
 */
public abstract class Overloaded {

    /** One image's pixels, as a JSON array. */
    public static final String PIXELS = "[" + "0,".repeat(783) + "0]";

    @Autowired
    MockMvc mvc;

    @MockitoBean
    Predictor predictor;

    @MockitoBean
    ModelRegistry registry;

    @MockitoBean
    HealthEndpoint health;

    /** Every prediction finds the queue full; a POST of {@code body} to {@code path} must say so. */
    protected void assertRefused(String path, String body, String contentType) throws Exception {
        PredictionRejectedException full = new PredictionRejectedException(Reason.OVERLOADED,
                "256 prediction requests are already waiting for this model (mnist.inference.batching.max-queue); try again in a moment");
        given(predictor.predictPixels(any(), any(), anyBoolean())).willThrow(full);
        given(predictor.predictPixels(any(PredictionProtocol.class), any(), any(), anyBoolean())).willThrow(full);
        MockHttpServletResponse response = mvc.perform(MockMvcRequestBuilders.post(path)
                .contentType("application/json").content(body)).andReturn().getResponse();
        assertThat(response.getStatus()).as(path + " " + response.getContentAsString()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("1");
        assertThat(response.getContentType()).startsWith(contentType);
        assertThat(response.getContentAsString()).contains("max-queue");
    }
}
