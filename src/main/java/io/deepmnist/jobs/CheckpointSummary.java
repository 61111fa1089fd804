package io.deepmnist.jobs;

import io.deepmnist.engine.CheckpointInfo;
import java.time.Instant;

/** A checkpoint as the API shows it. */
public record CheckpointSummary(long step, Instant createdAt, long sizeBytes) {

    static CheckpointSummary of(CheckpointInfo info) {
        return new CheckpointSummary(info.step(), info.createdAt(), info.sizeBytes());
    }
}
