package io.deepmnist.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTests {

    @TempDir
    Path tmp;

    static byte[] labels(int count, int... header) {
        ByteBuffer buf = ByteBuffer.allocate(8 + count);
        buf.putInt(header.length > 0 ? header[0] : 0x00000801).putInt(header.length > 1 ? header[1] : count);
        for (int i = 0; i < count; i++) {
            buf.put((byte) (i % 10));
        }
        return buf.array();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void acceptsAWellFormedLabelFile() {
        assertThat(IdxReader.validate(MnistFile.TEST_LABELS, "labels", labels(10_000))).isEqualTo(8);
    }

    @Test
    void rejectsABadMagicNumber() {
        assertThatThrownBy(() -> IdxReader.validate(MnistFile.TEST_LABELS, "labels", labels(10_000, 0x00000803)))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("labels: bad magic number 0x00000803, expected 0x00000801");
    }

    @Test
    void rejectsImagesPassedAsLabels() throws IOException {
        byte[] images = Files.readAllBytes(RealMnist.directory().resolve("t10k-images-idx3-ubyte"));
        assertThatThrownBy(() -> IdxReader.validate(MnistFile.TEST_LABELS, "t10k", images))
                .hasMessageContaining("bad magic number 0x00000803");
    }

    @Test
    void rejectsAWrongCount() {
        assertThatThrownBy(() -> IdxReader.validate(MnistFile.TEST_LABELS, "labels", labels(9_999)))
                .hasMessageContaining("holds 9999 items, but t10k-labels-idx1-ubyte has 10000");
    }

    @Test
    void rejectsATruncatedFile() {
        byte[] cut = Arrays.copyOf(labels(10_000), 5_000);
        assertThatThrownBy(() -> IdxReader.validate(MnistFile.TEST_LABELS, "labels", cut))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("labels: is truncated: 5000 bytes, the header promises 10008");
    }

    @Test
    void rejectsAFileCutInsideItsHeader() {
        byte[] cut = Arrays.copyOf(labels(10_000), 6);
        assertThatThrownBy(() -> IdxReader.validate(MnistFile.TEST_LABELS, "labels", cut))
                .hasMessageContaining("truncated inside its header: 6 of 8 bytes");
    }

    @Test
    void rejectsTrailingBytes() {
        byte[] longer = Arrays.copyOf(labels(10_000), 10_010);
        assertThatThrownBy(() -> IdxReader.validate(MnistFile.TEST_LABELS, "labels", longer))
                .hasMessageContaining("has 2 unexpected bytes after its data");
    }

    @Test
    void rejectsALabelThatIsNotADigit() {
        byte[] bad = labels(10_000);
        bad[8 + 42] = 10;
        assertThatThrownBy(() -> IdxReader.validate(MnistFile.TEST_LABELS, "labels", bad))
                .hasMessageContaining("label 10 at index 42 is not a digit 0-9");
    }

    @Test
    void rejectsImagesOfTheWrongSize() {
        ByteBuffer header = ByteBuffer.allocate(16).putInt(0x00000803).putInt(10_000).putInt(32).putInt(32);
        assertThatThrownBy(() -> IdxReader.validate(MnistFile.TEST_IMAGES, "images", header.array()))
                .hasMessageContaining("images are 32x32, expected 28x28");
    }

    @Test
    void readsGzipAndRawAlike() throws IOException {
        byte[] raw = labels(10_000);
        Path gz = Files.write(tmp.resolve("t10k-labels-idx1-ubyte.gz"), gzip(raw));
        Path plain = Files.write(tmp.resolve("t10k-labels-idx1-ubyte"), raw);
        assertThat(IdxReader.readDecompressed(gz)).isEqualTo(raw);
        assertThat(IdxReader.readDecompressed(plain)).isEqualTo(raw);
    }

    @Test
    void rejectsATruncatedGzipFile() throws IOException {
        byte[] gz = gzip(labels(10_000));
        Path cut = Files.write(tmp.resolve("t10k-labels-idx1-ubyte.gz"), Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> IdxReader.readDecompressed(cut))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining(cut.toString())
                .hasMessageContaining("gzip stream is truncated");
    }
}
