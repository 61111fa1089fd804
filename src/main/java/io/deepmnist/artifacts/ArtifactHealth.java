package io.deepmnist.artifacts;

import java.util.Map;

/** Whether the store takes and gives artifacts now; {@code details} says where it is and what is pending. */
public record ArtifactHealth(boolean up, String reason, Map<String, Object> details) {
}
