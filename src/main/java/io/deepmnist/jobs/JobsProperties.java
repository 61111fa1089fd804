package io.deepmnist.jobs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code mnist.jobs.*}: how training jobs are queued, checkpointed and streamed.
 *
 * @param queueCapacity    jobs that may wait for a worker; one more is refused with 429
 * @param retryAfter       what a refused client is told to wait
 * @param keepCheckpoints  the newest checkpoints kept per job
 * @param heartbeat        comment lines on idle event streams
 * @param shutdownTimeout  how long a graceful shutdown waits for running jobs to checkpoint
 */
@ConfigurationProperties("mnist.jobs")
public record JobsProperties(
        @DefaultValue("16") int queueCapacity,
        @DefaultValue("30s") Duration retryAfter,
        @DefaultValue("3") int keepCheckpoints,
        @DefaultValue("15s") Duration heartbeat,
        @DefaultValue("60s") Duration shutdownTimeout) {
}
