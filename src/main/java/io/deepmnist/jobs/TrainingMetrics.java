package io.deepmnist.jobs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/**
 * Training metrics: steps trained, throughput per running job, jobs by state and how long jobs take. The
 * queue depth gauge is registered by the executor that owns the queue.
 */
@Component
class TrainingMetrics {

    private final MeterRegistry meters;
    private final Map<String, AtomicReference<Double>> rates = new ConcurrentHashMap<>();

    TrainingMetrics(MeterRegistry meters, JobRepository jobs) {
        this.meters = meters;
        for (JobState state : JobState.values()) {
            Gauge.builder("deepmnist.jobs", jobs, r -> r.countByState(state))
                    .description("Jobs in each state").tag("state", state.name()).register(meters);
        }
    }

    void stepsTrained(String model, int steps) {
        if (steps > 0) {
            Counter.builder("deepmnist.training.steps").description("Training steps run").tag("model", model)
                    .register(meters).increment(steps);
        }
    }

    void examplesPerSecond(String jobId, double value) {
        rates.computeIfAbsent(jobId, id -> {
            AtomicReference<Double> holder = new AtomicReference<>(0.0);
            Gauge.builder("deepmnist.training.examples.per.second", holder, AtomicReference::get)
                    .description("Training throughput of a running job").tag("job", id).register(meters);
            return holder;
        }).set(value);
    }

    void runEnded(String jobId, String model, JobState state, Duration duration) {
        AtomicReference<Double> rate = rates.remove(jobId);
        if (rate != null) {
            meters.find("deepmnist.training.examples.per.second").tag("job", jobId).meters().forEach(meters::remove);
        }
        Timer.builder("deepmnist.jobs.duration").description("Time a job's run took, from start to its end state")
                .tag("model", model).tag("state", state.name()).register(meters).record(duration);
    }
}
