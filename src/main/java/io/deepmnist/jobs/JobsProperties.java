package io.deepmnist.jobs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code mnist.jobs.*}: how training jobs are queued, claimed, checkpointed and streamed.
 *
 * @param queueCapacity    jobs that may wait for a worker, counted in the store (so across all replicas);
 *                         one more is refused with 429
 * @param retryAfter       what a refused client is told to wait
 * @param keepCheckpoints  the newest checkpoints kept per job (a CNN checkpoint is about 39 MB: weights and Adam's
 *                         two moments)
 * @param heartbeat        comment lines on idle event streams
 * @param shutdownTimeout  how long a graceful shutdown waits for running jobs to checkpoint
 * @param lease            how long a running job's claim lasts without a heartbeat from its worker; after it,
 *                         another worker takes the job over from its last checkpoint
 * @param poll             how often a worker looks for queued jobs it was not told about (another replica's)
 * @param node             this process's name in the job records; empty: host name, process id and a random tag
 * @param maxSubscribersPerJob open event streams one job may have on this replica; one more is refused with 429
 * @param maxSubscribers   open event streams on this replica in all
 * @param sendTimeout      how long one event may take to reach a client; a client that reads nothing for this long
 *                         is disconnected, so that it holds up only itself
 */
@ConfigurationProperties("mnist.jobs")
public record JobsProperties(
        @DefaultValue("16") int queueCapacity,
        @DefaultValue("30s") Duration retryAfter,
        @DefaultValue("2") int keepCheckpoints,
        @DefaultValue("15s") Duration heartbeat,
        @DefaultValue("60s") Duration shutdownTimeout,
        @DefaultValue("30s") Duration lease,
        @DefaultValue("1s") Duration poll,
        String node,
        @DefaultValue("100") int maxSubscribersPerJob,
        @DefaultValue("1000") int maxSubscribers,
        @DefaultValue("20s") Duration sendTimeout) {
}
