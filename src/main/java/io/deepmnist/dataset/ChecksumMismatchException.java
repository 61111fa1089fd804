package io.deepmnist.dataset;

/** A file whose decompressed bytes do not have the published SHA-256. */
public class ChecksumMismatchException extends DatasetException {

    public ChecksumMismatchException(MnistFile file, String source, String actual) {
        super("%s from %s has SHA-256 %s but the MNIST release has %s; the copy is corrupt or not MNIST, delete it and fetch it again"
                .formatted(file.fileName(), source, actual, file.sha256()));
    }
}
