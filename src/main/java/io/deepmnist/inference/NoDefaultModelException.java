package io.deepmnist.inference;

/** /predict was called before any model was trained or promoted. */
public class NoDefaultModelException extends RuntimeException {

    public NoDefaultModelException() {
        super("There is no default model yet. Train one (POST /jobs {\"model\":\"cnn\"}); a finished job's model "
                + "becomes the default. Or promote an existing one with POST /models/{id}/promote.");
    }
}
