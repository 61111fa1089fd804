package io.deepmnist.inference;

import io.deepmnist.config.FeedbackProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Each registered model's labelled predictions and how many it got right, fleet-wide, as the gauges
 * {@code deepmnist.feedback.labelled} and {@code deepmnist.feedback.correct} (their ratio is the live accuracy). Read
 * from the store every {@code mnist.feedback.metrics-every}; only registered models get a series, so the labels stay
 * bounded. The traffic policy's {@link AutoPromotion} rule is applied to each reading.
 */
@Component
class FeedbackMetrics implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(FeedbackMetrics.class);

    private final PredictionLog predictions;
    private final ModelRegistry registry;
    private final AutoPromotion autoPromotion;
    private final MultiGauge labelled;
    private final MultiGauge correct;
    private final ScheduledExecutorService reader;

    FeedbackMetrics(PredictionLog predictions, ModelRegistry registry, AutoPromotion autoPromotion, FeedbackProperties properties,
                    MeterRegistry meters) {
        this.predictions = predictions;
        this.autoPromotion = autoPromotion;
        this.registry = registry;
        this.labelled = MultiGauge.builder("deepmnist.feedback.labelled")
                .description("Predictions of the model that users labelled, fleet-wide").register(meters);
        this.correct = MultiGauge.builder("deepmnist.feedback.correct")
                .description("Labelled predictions the model got right, fleet-wide").register(meters);
        this.reader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "feedback-metrics");
            t.setDaemon(true);
            return t;
        });
        if (predictions.enabled()) {
            long every = Math.max(1, properties.metricsEvery().toMillis());
            reader.scheduleWithFixedDelay(this::read, 0, every, TimeUnit.MILLISECONDS);
        }
    }

    private void read() {
        try {
            List<FeedbackAccuracy> counts = predictions.accuracies().stream().filter(a -> registry.isRegistered(a.modelId())).toList();
            labelled.register(counts.stream().map(a -> MultiGauge.Row.of(Tags.of("model", a.modelId()), a.labelled())).toList(), true);
            correct.register(counts.stream().map(a -> MultiGauge.Row.of(Tags.of("model", a.modelId()), a.correct())).toList(), true);
            autoPromotion.evaluate();
        } catch (RuntimeException e) {
            log.warn("Cannot read the labelled predictions, or act on them, now: {}", e.getMessage());
        }
    }

    @Override
    public void destroy() {
        reader.shutdownNow();
    }
}
