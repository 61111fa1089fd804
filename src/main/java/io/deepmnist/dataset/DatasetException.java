package io.deepmnist.dataset;

/** Base of every dataset failure; the message always says what is wrong and what to do. */
public class DatasetException extends RuntimeException {

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
