package io.deepmnist.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A process that shares the job store, as its heartbeats show it.
 *
 * @param alive        whether its last heartbeat is younger than the lease ({@code mnist.jobs.lease})
 * @param sinceLast    the age of its last heartbeat, by the store's clock
 * @param runningJobs  the jobs that the store says it runs
 */
public record Replica(String name, List<String> devices, Instant startedAt, Instant lastHeartbeat, Duration sinceLast,
                      boolean alive, List<String> runningJobs) {
}
