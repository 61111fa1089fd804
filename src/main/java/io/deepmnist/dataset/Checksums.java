package io.deepmnist.dataset;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 verification of decompressed MNIST bytes. */
public final class Checksums {

    /**
     * Bytes hashed per call. The JIT's SHA-256 intrinsic has no safepoint poll inside one call: the 47 MB training
     * images in one call took 33-113 ms here, and any other thread of the JVM (a health probe) that met a safepoint
     * meanwhile waited for it. One MiB a call is about a millisecond.
     */
    private static final int CHUNK = 1 << 20;

    private Checksums() {
    }

    public static String sha256(byte[] bytes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (int offset = 0; offset < bytes.length; offset += CHUNK) {
                digest.update(bytes, offset, Math.min(CHUNK, bytes.length - offset));
            }
            return HexFormat.of().formatHex(digest.digest());
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
