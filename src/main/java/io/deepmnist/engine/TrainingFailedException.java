package io.deepmnist.engine;

/** Training cannot go on, for a reason the message gives with what to change. */
public class TrainingFailedException extends RuntimeException {

    public TrainingFailedException(String message) {
        super(message);
    }
}
