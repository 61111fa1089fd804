package io.deepmnist.jobs;

/** {@code QUEUED -> RUNNING -> SUCCEEDED | FAILED | CANCELLED}; an interrupted run goes back to QUEUED. */
public enum JobState {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    public boolean canCancel() {
        return this == QUEUED || this == RUNNING;
    }

    /** Resumable from its last checkpoint, or from the start when it has none. */
    public boolean canResume() {
        return this == CANCELLED || this == FAILED;
    }

    public boolean canDelete() {
        return isTerminal();
    }

    /** Left QUEUED or RUNNING by a process that stopped: to be queued again at start-up. */
    public boolean isUnfinished() {
        return this == QUEUED || this == RUNNING;
    }
}
