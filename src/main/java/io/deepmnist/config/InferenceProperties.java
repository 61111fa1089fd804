package io.deepmnist.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code mnist.inference.*}: limits on what a prediction request may send, and how many models stay loaded.
 *
 * @param maxRequestSize  largest request body, images or JSON
 * @param maxImages       images (or instances) per request
 * @param maxImageWidth   decoded width refused above this, read from the header before decoding
 * @param maxImageHeight  decoded height, likewise
 * @param cacheSize       SavedModels kept loaded, least recently used evicted; the default model always stays
 * @param batching        dynamic batching of concurrent requests to the same model
 * @param registryRefresh how often this replica reads the shared registry although no change was announced
 *                        (an announcement is lost while the listening connection reconnects)
 * @param precision       of inference sessions: {@code model} (each model in the one it was trained in), or fp32, bf16
 *                        or auto for every model. bf16 sessions run the weights as constants, cast to bf16 once per
 *                        session, not on every run
 * @param warmUp          at start-up, the service sends itself predictions for the default model until the JIT
 *                        compiler has caught up, for this long at most, before readiness turns UP; 0 turns it off
 * @param singleImageSession each loaded model also gets a session with one intra-op thread, which runs lone images
 *                        entirely in the request's thread; batches of two or more keep the session with one thread
 *                        per core. Costs a second copy of the model in memory (40 MB for the CNN)
 * @param loadTimeout     how long a request waits for its model to load; then 503 with Retry-After (the load goes on)
 * @param shadowQueue     copies of answered requests waiting for the traffic policy's shadow model at most; more are
 *                        dropped and counted
 */
@ConfigurationProperties("mnist.inference")
public record InferenceProperties(
        @DefaultValue("5MB") DataSize maxRequestSize,
        @DefaultValue("256") int maxImages,
        @DefaultValue("4096") int maxImageWidth,
        @DefaultValue("4096") int maxImageHeight,
        @DefaultValue("4") int cacheSize,
        @DefaultValue Batching batching,
        @DefaultValue("1s") Duration registryRefresh,
        @DefaultValue("model") String precision,
        @DefaultValue("60s") Duration warmUp,
        @DefaultValue("true") boolean singleImageSession,
        @DefaultValue("60s") Duration loadTimeout,
        @DefaultValue("256") int shadowQueue) {

    /**
     * @param maxBatch images in one session run at most
     * @param maxWait  how long the first request of a batch waits for others to join it
     * @param maxQueue requests waiting for one model at most; beyond it a request is refused with 503 at once
     * @param timeout  how long a request waits for its batch's answer; then 503 with Retry-After, so that one
     *                 session run that hangs does not hold every request for the model
     */
    public record Batching(@DefaultValue("true") boolean enabled, @DefaultValue("32") int maxBatch,
                           @DefaultValue("2ms") Duration maxWait, @DefaultValue("256") int maxQueue,
                           @DefaultValue("30s") Duration timeout) {
    }
}
