package io.deepmnist.artifacts;

import java.time.Instant;

/** The outcome of the store's latest transfer: what readiness reports beside its own check. */
final class StoreStatus {

    private volatile String error;
    private volatile Instant since;

    void ok() {
        error = null;
        since = null;
    }

    void failed(String reason) {
        if (error == null) {
            since = Instant.now();
        }
        error = reason;
    }

    String error() {
        return error;
    }

    Instant since() {
        return since;
    }
}
