package io.deepmnist.artifacts;

/** The store's own check, run at most once per interval however often readiness asks. */
final class StoreProbe {

    private static final long INTERVAL_NANOS = 2_000_000_000L;

    private final ObjectStore store;
    private long checkedAt;
    private boolean checked;
    private String failure;

    StoreProbe(ObjectStore store) {
        this.store = store;
    }

    /** Null while the store answers, else why it does not. */
    synchronized String failure() {
        long now = System.nanoTime();
        if (!checked || now - checkedAt > INTERVAL_NANOS) {
            try {
                store.check();
                failure = null;
            } catch (ArtifactStoreException e) {
                failure = e.getMessage();
            }
            checked = true;
            checkedAt = System.nanoTime();
        }
        return failure;
    }
}
