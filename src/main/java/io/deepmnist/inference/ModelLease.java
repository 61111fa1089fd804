package io.deepmnist.inference;

/** A model held for the length of one request. */
public final class ModelLease implements AutoCloseable {

    private final LoadedModel model;
    private boolean closed;

    ModelLease(LoadedModel model) {
        this.model = model;
    }

    public String modelId() {
        return model.id();
    }

    float[] probabilities(float[] pixels, int count) {
        return model.probabilities(pixels, count);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            model.release();
        }
    }
}
