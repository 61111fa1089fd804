package io.deepmnist.inference;

/** Input a prediction cannot be made from; the reason says what kind of fault it is, the message what to fix. */
public class PredictionRejectedException extends RuntimeException {

    public enum Reason {
        /** Malformed input: not an image, wrong JSON shape or types. */
        MALFORMED,
        /** More bytes, images or pixels than the limits allow. */
        TOO_LARGE,
        /** A media type or image format the service does not read. */
        UNSUPPORTED_TYPE,
        /** Well-formed but unusable: a blank image, values out of range. */
        UNPROCESSABLE,
        /** Too many requests already waiting for the model: a moment's wait, not a fault of the input. */
        OVERLOADED
    }

    private final Reason reason;

    public PredictionRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
