package io.deepmnist.inference;

/** No model has this id. */
public class ModelNotFoundException extends RuntimeException {

    private final String id;

    public ModelNotFoundException(String id) {
        super("There is no model '" + id + "'");
        this.id = id;
    }

    public String id() {
        return id;
    }
}
