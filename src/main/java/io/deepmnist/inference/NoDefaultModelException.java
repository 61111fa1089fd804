package io.deepmnist.inference;

/** A prediction for the default model was asked for before any model was trained or promoted. */
public class NoDefaultModelException extends RuntimeException {

    public NoDefaultModelException() {
        super("There is no default model yet. Train one: a finished job's model becomes the default. "
                + "Or promote a model that is already registered.");
    }
}
