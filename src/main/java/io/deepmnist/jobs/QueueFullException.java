package io.deepmnist.jobs;

import java.time.Duration;

/** Every worker is busy and the queue is full; the job was recorded as FAILED. */
public class QueueFullException extends RuntimeException {

    private final Duration retryAfter;

    public QueueFullException(String jobId, int capacity, Duration retryAfter) {
        super("The training queue is full (" + capacity + " jobs waiting); job " + jobId
                + " was not queued and is marked FAILED. Submit it again later, or cancel a queued job.");
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
