package io.deepmnist.engine;

import java.nio.file.Path;
import java.time.Instant;

/** A complete checkpoint on disk: {@code prefix.index} plus its data files. */
public record CheckpointInfo(long step, Instant createdAt, long sizeBytes, Path prefix) {
}
