package io.deepmnist.inference;

import io.deepmnist.dataset.MnistFile;
import io.deepmnist.inference.PredictionRejectedException.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;

/**
 * Answers "which digit is this?" for images or pixel arrays. All images of one request go through the model
 * as one batch. Refusals are {@link PredictionRejectedException}s that say what to fix.
 */
@Service
public class Predictor {

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

    Predictor(ModelRegistry registry, InferenceProperties properties, MeterRegistry meters) {
        this.registry = registry;
        this.properties = properties;
        this.decoder = new ImageDecoder(properties.maxImageWidth(), properties.maxImageHeight());
        this.meters = meters;
    }

    /** @param modelId the model to ask, or null for the default */
    public Result predictImages(String modelId, List<ImageInput> images, boolean preprocess) {
        return measured(modelId, () -> {
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

    /** Rows of 784 values, each row either in [0,1] or whole numbers 0-255. */
    public Result predictPixels(String modelId, List<List<Double>> rows) {
        return measured(modelId, () -> {
            checkCount(rows.size(), "instances");
            float[] pixels = new float[rows.size() * MnistFile.PIXELS];
            for (int r = 0; r < rows.size(); r++) {
                PixelRows.copy(rows.get(r), r, rows.size() == 1 ? "pixels" : "instances[" + r + "]", pixels);
            }
            return run(modelId, pixels, rows.size());
        });
    }

    private Result run(String modelId, float[] pixels, int count) {
        try (ModelLease lease = registry.lease(modelId)) {
            float[] probabilities = lease.probabilities(pixels, count);
            List<Prediction> predictions = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                predictions.add(Prediction.of(probabilities, i * MnistFile.CLASSES));
            }
            return new Result(lease.modelId(), predictions, pixels);
        }
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

    private Result measured(String modelId, Supplier<Result> prediction) {
        long start = System.nanoTime();
        String outcome = "error";
        String model = modelId != null ? modelId : "default";
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
            Timer.builder("deepmnist.predict.latency").description("Time to answer a prediction request")
                    .tag("model", model).tag("outcome", outcome).publishPercentiles(0.5, 0.95, 0.99)
                    .register(meters).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            Counter.builder("deepmnist.predict.requests").description("Prediction requests by outcome")
                    .tag("model", model).tag("outcome", outcome).register(meters).increment();
        }
    }
}
