package io.deepmnist.jobs;

/** The action is not allowed in the job's current state. */
public class JobStateException extends RuntimeException {

    private final String id;
    private final JobState state;
    private final String action;

    /** @param action what was refused, in the passive: "cancelled", "resumed", "deleted" */
    public JobStateException(String id, JobState state, String action, String hint) {
        super("Job " + id + " is " + state + " and cannot be " + action + "; " + hint);
        this.id = id;
        this.state = state;
        this.action = action;
    }

    public String id() {
        return id;
    }

    public String action() {
        return action;
    }

    public JobState state() {
        return state;
    }
}
