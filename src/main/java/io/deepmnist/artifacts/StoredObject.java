package io.deepmnist.artifacts;

import java.time.Instant;

/** An object in the store: its key below the location's prefix, its size and when it was written. */
record StoredObject(String key, long size, Instant lastModified) {
}
