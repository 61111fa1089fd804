package io.deepmnist.jobs;

/** A job that cannot be trained as asked; the message says what to change. */
public class InvalidJobException extends RuntimeException {

    public InvalidJobException(String message) {
        super(message);
    }
}
