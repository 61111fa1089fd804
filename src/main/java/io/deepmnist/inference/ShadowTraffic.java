package io.deepmnist.inference;

import io.deepmnist.config.InferenceProperties;
import io.deepmnist.dataset.MnistFile;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Copies of answered requests, asked of the policy's shadow alias on a thread of its own, off the request's path:
 * the copy holds the images the served model saw, so it costs the request one offer to a bounded queue. When the
 * queue is full the copy is dropped and counted. Each copy's digits are compared with the served ones, and the
 * agreement is kept per pair of models, here and as {@code deepmnist.shadow.images} in the metrics. A copy never
 * changes an answer, and its failures are only counted.
 */
@Component
public class ShadowTraffic implements DisposableBean {

    /** How often the shadow gave the served digit, for one pair of models, on this replica. */
    public record Agreement(String servedModelId, String shadowModelId, long compared, long agreed, double agreement) {
    }

    private static final Logger log = LoggerFactory.getLogger(ShadowTraffic.class);

    private final ModelRegistry registry;
    private final MeterRegistry meters;
    private final ThreadPoolExecutor worker;
    private final Counter dropped;
    private final Counter failed;
    private final Map<List<String>, Pair> pairs = new ConcurrentHashMap<>();

    private record Pair(LongAdder compared, LongAdder agreed, Counter agree, Counter disagree) {
    }

    ShadowTraffic(ModelRegistry registry, InferenceProperties properties, MeterRegistry meters) {
        this.registry = registry;
        this.meters = meters;
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(properties.shadowQueue()), r -> {
            Thread t = new Thread(r, "shadow-traffic");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        this.dropped = Counter.builder("deepmnist.shadow.dropped").description("Shadow copies dropped because the queue was full")
                .register(meters);
        this.failed = Counter.builder("deepmnist.shadow.failed").description("Shadow copies whose model could not answer")
                .register(meters);
    }

    /** Queues a copy of an answered request for the alias; returns at once. */
    public void copy(String shadowAlias, Predictor.Result served) {
        try {
            worker.execute(() -> compare(shadowAlias, served));
        } catch (RejectedExecutionException full) {
            dropped.increment();
        }
    }

    /** Every pair of models compared on this replica so far. */
    public List<Agreement> agreements() {
        return pairs.entrySet().stream().map(e -> {
            long compared = e.getValue().compared().sum();
            long agreed = e.getValue().agreed().sum();
            return new Agreement(e.getKey().get(0), e.getKey().get(1), compared, agreed, compared == 0 ? 0 : (double) agreed / compared);
        }).sorted(Comparator.comparing(Agreement::servedModelId).thenComparing(Agreement::shadowModelId)).toList();
    }

    public long dropped() {
        return (long) dropped.count();
    }

    private void compare(String shadowAlias, Predictor.Result served) {
        int count = served.predictions().size();
        try (ModelLease lease = registry.lease(shadowAlias)) {
            if (lease.modelId().equals(served.modelId())) {
                return;
            }
            float[] probabilities = lease.probabilities(served.inputs(), count);
            int agreed = 0;
            for (int i = 0; i < count; i++) {
                agreed += Prediction.of(probabilities, i * MnistFile.CLASSES).digit() == served.predictions().get(i).digit() ? 1 : 0;
            }
            Pair pair = pair(served.modelId(), lease.modelId());
            pair.compared().add(count);
            pair.agreed().add(agreed);
            pair.agree().increment(agreed);
            pair.disagree().increment(count - agreed);
        } catch (RuntimeException e) {
            failed.increment();
            log.debug("A shadow copy for alias {} failed: {}", shadowAlias, e.getMessage());
        }
    }

    /** Tags are registered model ids, as the predictions' own. */
    private Pair pair(String served, String shadow) {
        return pairs.computeIfAbsent(List.of(served, shadow), key -> new Pair(new LongAdder(), new LongAdder(),
                counter(served, shadow, "true"), counter(served, shadow, "false")));
    }

    private Counter counter(String served, String shadow, String agree) {
        return Counter.builder("deepmnist.shadow.images").description("Images a shadow model was asked, by whether it gave the served digit")
                .tag("served", served).tag("shadow", shadow).tag("agree", agree).register(meters);
    }

    @Override
    public void destroy() {
        worker.shutdownNow();
    }
}
