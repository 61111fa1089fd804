package io.deepmnist.jobs;

/** Why a running job should stop at its next step boundary, if it should. */
final class RunControl {

    private volatile boolean cancelled;
    private volatile boolean shutdown;

    void cancel() {
        cancelled = true;
    }

    void shutdown() {
        shutdown = true;
    }

    boolean shouldStop() {
        return cancelled || shutdown;
    }

    /** Stopped for a shutdown rather than by the user: the job is left to resume on the next start. */
    boolean isShutdown() {
        return shutdown && !cancelled;
    }
}
