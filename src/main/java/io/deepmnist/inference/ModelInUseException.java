package io.deepmnist.inference;

/** The default model cannot be deleted while it is the default. */
public class ModelInUseException extends RuntimeException {

    public ModelInUseException(String id) {
        super("Model " + id + " is the default model for predictions; promote another one first");
    }
}
