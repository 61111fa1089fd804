package io.deepmnist.artifacts;

/** The artifact store could not do what was asked: it is away, refuses the credentials, or lacks the bucket. */
public class ArtifactStoreException extends RuntimeException {

    public ArtifactStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
