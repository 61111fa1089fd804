package io.deepmnist.jobs;

import java.util.function.BooleanSupplier;

/** Why a running job should stop at its next step boundary, if it should. */
final class RunControl {

    private final BooleanSupplier claimFading;
    private volatile boolean cancelled;
    private volatile boolean shutdown;
    private volatile boolean storeLost;

    /** @param claimFading true once the job's claim has gone so long without a heartbeat that it may be lost */
    RunControl(BooleanSupplier claimFading) {
        this.claimFading = claimFading;
    }

    void cancel() {
        cancelled = true;
    }

    void shutdown() {
        shutdown = true;
    }

    /** The job store could not be written: the run stops, and its claim is left for the store's return. */
    void storeLost() {
        storeLost = true;
    }

    boolean shouldStop() {
        if (!storeLost && claimFading.getAsBoolean()) {
            storeLost = true;
        }
        return cancelled || shutdown || storeLost;
    }

    /** Stopped for a shutdown rather than by the user: the job is left to resume on the next start. */
    boolean isShutdown() {
        return shutdown && !cancelled && !storeLost;
    }

    /**
     * Stopped because this replica lost the store (its heartbeats failed for half the lease, or a write
     * failed): nothing more is written, and once the store is back, the claim is revived and the job resumes.
     */
    boolean isStoreLost() {
        return storeLost;
    }
}
