package io.deepmnist.jobs;

/** The action is not allowed in the job's current state. */
public class JobStateException extends RuntimeException {

    private final JobState state;

    public JobStateException(String id, JobState state, String action, String hint) {
        super("Job " + id + " is " + state + " and cannot be " + action + "; " + hint);
        this.state = state;
    }

    public JobState state() {
        return state;
    }
}
