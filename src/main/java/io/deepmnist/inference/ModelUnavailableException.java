package io.deepmnist.inference;

/** A registered model whose SavedModel cannot be loaded: its files are damaged or gone. */
public class ModelUnavailableException extends RuntimeException {

    public ModelUnavailableException(String modelId, Throwable cause) {
        super("Model " + modelId + " cannot be loaded (" + cause.getMessage() + "); its files under models/" + modelId
                + " are damaged or missing, or the artifact store cannot be reached (see /readyz). Promote or use another "
                + "model, or delete this one (DELETE /models/" + modelId + ")",
                cause);
    }
}
