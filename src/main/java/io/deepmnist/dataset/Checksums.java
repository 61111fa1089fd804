package io.deepmnist.dataset;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 verification of decompressed MNIST bytes. */
public final class Checksums {

    private Checksums() {
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Throws unless {@code decompressed} is exactly the published {@code file}. */
    public static void verify(MnistFile file, byte[] decompressed, String source) {
        String actual = sha256(decompressed);
        if (!actual.equals(file.sha256())) {
            throw new ChecksumMismatchException(file, source, actual);
        }
    }
}
