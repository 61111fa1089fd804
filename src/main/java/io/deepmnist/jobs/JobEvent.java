package io.deepmnist.jobs;

import java.time.Instant;

/**
 * One entry in a job's event history, as it goes out over SSE.
 *
 * @param seq  the job's event sequence number, from 1; the SSE event id
 * @param type {@code progress}, {@code checkpoint}, {@code evaluation} or {@code state}
 * @param data the event's JSON
 * @param terminal a state event that no other event follows: the stream ends with it
 */
public record JobEvent(String jobId, long seq, String type, String data, boolean terminal, Instant createdAt) {

    public static final String PROGRESS = "progress";
    public static final String CHECKPOINT = "checkpoint";
    public static final String EVALUATION = "evaluation";
    public static final String STATE = "state";

}
