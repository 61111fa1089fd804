package io.deepmnist.inference;

import io.deepmnist.config.InferenceProperties;
import io.deepmnist.dataset.MnistFile;
import io.deepmnist.inference.PredictionRejectedException.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

/**
 * Answers "which digit is this?" for images or pixel arrays. All images of one request go through the model
 * as one batch. Refusals are {@link PredictionRejectedException}s that say what to fix.
 */
@Service
public class Predictor implements DisposableBean {

    /** What a request predicted, and the 28x28 inputs the model saw. */
    public record Result(String modelId, List<Prediction> predictions, float[] inputs) {
    }

    /** One uploaded image. */
    public record ImageInput(String name, byte[] bytes) {
    }

    private final ModelRegistry registry;
    private final InferenceProperties properties;
    private final ImageDecoder decoder;
    private final ImagePreprocessor preprocessor = new ImagePreprocessor();
    private final MeterRegistry meters;
    private final Map<String, DynamicBatcher> batchers = new ConcurrentHashMap<>();
    /** As many as the meter registry holds: model tags are registered ids, 'default' or 'unknown'. */
    private final Map<List<String>, Meters> meterCache = new ConcurrentHashMap<>();
    private final DistributionSummary batchSizes;
    private volatile boolean closed;

    Predictor(ModelRegistry registry, InferenceProperties properties, MeterRegistry meters) {
        this.registry = registry;
        this.properties = properties;
        this.decoder = new ImageDecoder(properties.maxImageWidth(), properties.maxImageHeight());
        this.meters = meters;
        this.batchSizes = DistributionSummary.builder("deepmnist.predict.batch.size")
                .description("Images per session run of the dynamic batcher").register(meters);
    }

    /** @param modelId the model to ask, or null for the default */
    public Result predictImages(String modelId, List<ImageInput> images, boolean preprocess) {
        return predictImages(PredictionProtocol.PREDICT, modelId, images, preprocess);
    }

    public Result predictImages(PredictionProtocol protocol, String modelId, List<ImageInput> images, boolean preprocess) {
        return measured(protocol, modelId, () -> {
            checkCount(images.size(), "images");
            float[] pixels = new float[images.size() * MnistFile.PIXELS];
            for (int i = 0; i < images.size(); i++) {
                ImageInput input = images.get(i);
                BufferedImage image = decoder.decode(input.bytes(), input.name());
                System.arraycopy(preprocessor.toMnist(image, preprocess, input.name()), 0, pixels, i * MnistFile.PIXELS, MnistFile.PIXELS);
            }
            return run(modelId, pixels, images.size());
        });
    }

    /**
     * Rows of 784 values, each row either in [0,1] or whole numbers 0-255; with {@code preprocess}, each goes
     * through the same preprocessing as an image (a 28x28 MNIST-format row comes out unchanged).
     */
    public Result predictPixels(String modelId, float[][] rows, boolean preprocess) {
        return predictPixels(PredictionProtocol.PREDICT, modelId, rows, preprocess);
    }

    public Result predictPixels(PredictionProtocol protocol, String modelId, float[][] rows, boolean preprocess) {
        return measured(protocol, modelId, () -> {
            checkCount(rows.length, "instances");
            float[] pixels = new float[rows.length * MnistFile.PIXELS];
            for (int r = 0; r < rows.length; r++) {
                String name = rows.length == 1 ? "pixels" : "instances[" + r + "]";
                PixelRows.copy(rows[r], r, name, pixels);
                if (preprocess) {
                    preprocessor.toMnist(pixels, r * MnistFile.PIXELS, name);
                }
            }
            return run(modelId, pixels, rows.length);
        });
    }

    private Result run(String modelId, float[] pixels, int count) {
        if (closed) {
            throw DynamicBatcher.shuttingDown();
        }
        DynamicBatcher.Output output;
        InferenceProperties.Batching batching = properties.batching();
        if (batching.enabled() && count <= batching.maxBatch()) {
            String target = registry.resolve(modelId);
            if (!batchers.containsKey(target)) {
                // A new model: the batchers of models deleted since go, so the map stays as small as the registry.
                // A batcher owns no thread: requests already in one finish there.
                batchers.keySet().removeIf(id -> !registry.isRegistered(id));
            }
            DynamicBatcher batcher = batchers.computeIfAbsent(target, id -> new DynamicBatcher((px, n) -> {
                batchSizes.record(n);
                return runOn(id, px, n);
            }, batching.maxBatch(), batching.maxWait().toNanos(), batching.maxQueue(), batching.timeout().toNanos()));
            try {
                output = batcher.call(pixels, count);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a prediction", e);
            }
        } else {
            output = runOn(modelId, pixels, count);
        }
        List<Prediction> predictions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            predictions.add(Prediction.of(output.probabilities(), i * MnistFile.CLASSES));
        }
        return new Result(output.modelId(), predictions, pixels);
    }

    private DynamicBatcher.Output runOn(String modelId, float[] pixels, int count) {
        try (ModelLease lease = registry.lease(modelId)) {
            return new DynamicBatcher.Output(lease.modelId(), lease.probabilities(pixels, count));
        }
    }

    @Override
    public void destroy() {
        closed = true;
        batchers.values().forEach(DynamicBatcher::close);
    }

    private void checkCount(int count, String what) {
        if (count == 0) {
            throw new PredictionRejectedException(Reason.MALFORMED, "no " + what + " to predict");
        }
        if (count > properties.maxImages()) {
            throw new PredictionRejectedException(Reason.TOO_LARGE, "%d %s in one request; the limit is %d"
                    .formatted(count, what, properties.maxImages()));
        }
    }

    private Result measured(PredictionProtocol protocol, String modelId, Supplier<Result> prediction) {
        long start = System.nanoTime();
        String outcome = "error";
        // Tags name registered models only: an id from the path of a refused request would add series without end.
        String model = modelId == null ? "default" : registry.isRegistered(modelId) ? modelId : "unknown";
        try {
            Result result = prediction.get();
            model = result.modelId();
            outcome = "success";
            return result;
        } catch (PredictionRejectedException e) {
            outcome = e.reason().name().toLowerCase();
            throw e;
        } catch (NoDefaultModelException | ModelNotFoundException e) {
            outcome = "no_model";
            throw e;
        } finally {
            meters(model, outcome, protocol).record(System.nanoTime() - start);
        }
    }

    /**
     * Prometheus cannot show one family as both a histogram and a summary: the buckets (for histogram_quantile
     * across replicas) and this replica's own p50/p95/p99 are two timers.
     */
    private record Meters(Timer latency, Timer quantiles, Counter requests) {

        void record(long nanos) {
            latency.record(nanos, TimeUnit.NANOSECONDS);
            quantiles.record(nanos, TimeUnit.NANOSECONDS);
            requests.increment();
        }
    }

    /** Built once per model and outcome: looking a timer with percentiles up on every request costs. */
    private Meters meters(String model, String outcome, PredictionProtocol protocol) {
        return meterCache.computeIfAbsent(List.of(model, outcome, protocol.tag()), key -> new Meters(
                Timer.builder("deepmnist.predict.latency").description("Time to answer a prediction request")
                        .tag("model", model).tag("outcome", outcome).tag("protocol", protocol.tag()).register(meters),
                Timer.builder("deepmnist.predict.latency.quantiles")
                        .description("This replica's p50, p95 and p99 time to answer a prediction request, over the last minutes")
                        .tag("model", model).tag("outcome", outcome).tag("protocol", protocol.tag())
                        .publishPercentiles(0.5, 0.95, 0.99).register(meters),
                Counter.builder("deepmnist.predict.requests").description("Prediction requests by outcome")
                        .tag("model", model).tag("outcome", outcome).tag("protocol", protocol.tag()).register(meters)));
    }
}
