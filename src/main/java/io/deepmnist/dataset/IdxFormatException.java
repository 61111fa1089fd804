package io.deepmnist.dataset;

/** An IDX file that is not what it claims to be: wrong magic, dimensions, counts, or truncated. */
public class IdxFormatException extends DatasetException {

    public IdxFormatException(String file, String problem) {
        super(file + ": " + problem);
    }

    public IdxFormatException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
