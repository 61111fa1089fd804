package io.deepmnist.jobs;

/**
 * Where a job's events go, such as an SSE connection. Called from a delivery thread, one call at a time per
 * subscriber, never from the training thread.
 */
public interface EventSubscriber {

    /** Delivers one event; throwing ends the subscription (for example, the client went away). */
    void onEvent(JobEvent event) throws Exception;

    /** Keeps an idle connection open. */
    void onHeartbeat() throws Exception;

    /** The job's terminal state was delivered, or the subscription ended. */
    void onComplete();

    /**
     * The client has not taken an event for {@code mnist.jobs.send-timeout}: drop its connection, so that the call
     * blocked in {@link #onEvent} fails and its delivery thread is free again. Called from another thread.
     */
    default void abort() {
    }
}
