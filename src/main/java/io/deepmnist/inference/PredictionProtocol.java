package io.deepmnist.inference;

/** Which protocol a prediction came through: the bounded values of the prediction metrics' {@code protocol} tag. */
public enum PredictionProtocol {
    /** {@code /predict} and {@code /models/{id}/predict}, and the start-up warm-up that uses them. */
    PREDICT("predict"),
    /** The Open Inference Protocol over REST ({@code /v2}). */
    OIP_REST("v2"),
    /** TF Serving's REST API ({@code /v1/models}). */
    TF_SERVING("v1"),
    /** The Open Inference Protocol over gRPC. */
    GRPC("grpc");

    private final String tag;

    PredictionProtocol(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
