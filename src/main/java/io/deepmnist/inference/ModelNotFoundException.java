package io.deepmnist.inference;

/** No model has this id. */
public class ModelNotFoundException extends RuntimeException {

    public ModelNotFoundException(String id) {
        super("There is no model '" + id + "'; GET /models lists the models there are.");
    }
}
