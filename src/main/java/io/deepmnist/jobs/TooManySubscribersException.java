package io.deepmnist.jobs;

import java.time.Duration;

/** An event stream refused because a job, or this replica, has as many open streams as it allows. */
public class TooManySubscribersException extends RuntimeException {

    private final Duration retryAfter;

    /** Without a stack trace: a crowd of reconnecting clients meets this thousands of times a second, and it is answered, not logged. */
    TooManySubscribersException(String message, Duration retryAfter) {
        super(message, null, false, false);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
