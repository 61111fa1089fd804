package io.deepmnist.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.deepmnist.engine.Precision;

/**
 * The data of a {@code state} event.
 *
 * @param precision on the RUNNING event only: what the run trains in
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StateChange(JobState state, JobState previous, int step, String message, String error,
                          String modelId, Double testAccuracy, Precision precision) {

    static StateChange of(JobState state, JobState previous, int step, String message) {
        return new StateChange(state, previous, step, message, null, null, null, null);
    }

    static StateChange running(int step, String message, Precision precision) {
        return new StateChange(JobState.RUNNING, JobState.QUEUED, step, message, null, null, null, precision);
    }
}
