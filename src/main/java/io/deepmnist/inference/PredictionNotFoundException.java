package io.deepmnist.inference;

/** No logged prediction has this id: unknown, removed by retention, or the log is off. */
public class PredictionNotFoundException extends RuntimeException {

    public PredictionNotFoundException(String id, boolean logOn) {
        super(logOn ? "There is no logged prediction '" + id + "': the id is unknown, or the log no longer keeps it "
                + "(mnist.feedback.max-entries, max-age)" : "The prediction log is off (mnist.feedback.enabled=false), so "
                + "predictions cannot be labelled");
    }
}
