package io.deepmnist.artifacts;

/** An object does not match the SHA-256 its manifest gives, after one fetch again: it is never loaded. */
public class CorruptArtifactException extends RuntimeException {

    public CorruptArtifactException(String message) {
        super(message);
    }
}
