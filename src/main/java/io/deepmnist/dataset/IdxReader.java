package io.deepmnist.dataset;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (raw or gzip, told apart by their first bytes) and checks them strictly against what
 * MNIST must contain: the unsigned-byte magic, the number of dimensions, 28x28 images, the count, no
 * truncation, no trailing bytes, labels 0-9.
 */
public final class IdxReader {

    private static final int UNSIGNED_BYTE = 0x08;

    private IdxReader() {
    }

    /** The decompressed bytes of {@code file}, whatever its compression. */
    public static byte[] readDecompressed(Path file) {
        try {
            byte[] stored = Files.readAllBytes(file);
            return isGzip(stored) ? gunzip(stored, file.toString()) : stored;
        } catch (IOException e) {
            throw new IdxFormatException(file.toString(), "cannot be read: " + e.getMessage(), e);
        }
    }

    public static boolean isGzip(byte[] bytes) {
        return bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
    }

    static byte[] gunzip(byte[] compressed, String name) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), 1 << 16)) {
            return in.readAllBytes();
        } catch (EOFException e) {
            throw new IdxFormatException(name, "the gzip stream is truncated (the download or copy was cut short)", e);
        } catch (ZipException e) {
            throw new IdxFormatException(name, "is not a valid gzip stream: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IdxFormatException(name, "cannot be decompressed: " + e.getMessage(), e);
        }
    }

    /**
     * Validates the IDX structure of {@code bytes} as the given MNIST file and returns the offset of its data.
     * The data that follows is {@code count * 784} pixels or {@code count} labels.
     */
    public static int validate(MnistFile spec, String name, byte[] bytes) {
        int expectedDims = spec.isImages() ? 3 : 1;
        int headerLength = 4 + 4 * expectedDims;
        if (bytes.length < 4) {
            throw new IdxFormatException(name, "is truncated: %d bytes, too short for an IDX header".formatted(bytes.length));
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        int magic = buf.getInt();
        int expectedMagic = (UNSIGNED_BYTE << 8) | expectedDims;
        if (magic != expectedMagic) {
            throw new IdxFormatException(name, "bad magic number 0x%08x, expected 0x%08x (%s file of unsigned bytes with %d dimension%s)"
                    .formatted(magic, expectedMagic, spec.isImages() ? "an image" : "a label", expectedDims,
                            expectedDims == 1 ? "" : "s"));
        }
        if (bytes.length < headerLength) {
            throw new IdxFormatException(name, "is truncated inside its header: %d of %d bytes"
                    .formatted(bytes.length, headerLength));
        }
        int count = buf.getInt();
        if (count != spec.count()) {
            throw new IdxFormatException(name, "holds %d items, but %s has %d".formatted(count, spec.fileName(), spec.count()));
        }
        long itemSize = 1;
        if (spec.isImages()) {
            int rows = buf.getInt();
            int cols = buf.getInt();
            if (rows != MnistFile.ROWS || cols != MnistFile.COLUMNS) {
                throw new IdxFormatException(name, "images are %dx%d, expected %dx%d"
                        .formatted(rows, cols, MnistFile.ROWS, MnistFile.COLUMNS));
            }
            itemSize = (long) rows * cols;
        }
        long expectedLength = headerLength + itemSize * count;
        if (bytes.length < expectedLength) {
            throw new IdxFormatException(name, "is truncated: %d bytes, the header promises %d"
                    .formatted(bytes.length, expectedLength));
        }
        if (bytes.length > expectedLength) {
            throw new IdxFormatException(name, "has %d unexpected bytes after its data"
                    .formatted(bytes.length - expectedLength));
        }
        if (!spec.isImages()) {
            for (int i = headerLength; i < bytes.length; i++) {
                if (bytes[i] < 0 || bytes[i] >= MnistFile.CLASSES) {
                    throw new IdxFormatException(name, "label %d at index %d is not a digit 0-9"
                            .formatted(bytes[i] & 0xff, i - headerLength));
                }
            }
        }
        return headerLength;
    }
}
