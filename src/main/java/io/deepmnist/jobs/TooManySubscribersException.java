package io.deepmnist.jobs;

import java.time.Duration;

/** An event stream refused because a job, or this replica, has as many open streams as it allows. */
public class TooManySubscribersException extends RuntimeException {

    private final Duration retryAfter;

    TooManySubscribersException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
