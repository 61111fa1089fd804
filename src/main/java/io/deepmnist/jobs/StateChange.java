package io.deepmnist.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The data of a {@code state} event. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StateChange(JobState state, JobState previous, int step, String message, String error,
                          String modelId, Double testAccuracy) {

    static StateChange of(JobState state, JobState previous, int step, String message) {
        return new StateChange(state, previous, step, message, null, null, null);
    }
}
