package io.deepmnist.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Downloads the gzip files from HTTP(S) mirrors, trying each mirror in turn for each file. */
public final class HttpMirrorSource implements MnistSource {

    /** The mirror TensorFlow's own {@code read_data_sets} downloads from. */
    public static final List<URI> DEFAULT_MIRRORS = List.of(URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/"));
    private static final long MAX_DOWNLOAD_BYTES = 64L << 20;

    private final List<URI> mirrors;
    private final HttpClient client;
    private final Duration timeout;

    public HttpMirrorSource(List<URI> mirrors, Duration timeout) {
        this.mirrors = List.copyOf(mirrors);
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    @Override
    public String description() {
        return "mirrors " + mirrors;
    }

    @Override
    public void fetch(Path dir, Set<MnistFile> missing) {
        for (MnistFile file : missing) {
            List<String> errors = new ArrayList<>();
            boolean done = false;
            for (URI mirror : mirrors) {
                URI uri = mirror.resolve(file.gzipFileName());
                try {
                    DatasetFiles.install(dir, file, download(uri), uri.toString());
                    done = true;
                    break;
                } catch (IOException | DatasetException e) {
                    errors.add(uri + ": " + e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DatasetException("interrupted while downloading " + uri, e);
                }
            }
            if (!done) {
                throw new DatasetException("no mirror provided " + file.gzipFileName() + " (" + String.join("; ", errors) + ")");
            }
        }
    }

    private byte[] download(URI uri) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            byte[] bytes = body.readNBytes((int) MAX_DOWNLOAD_BYTES + 1);
            if (bytes.length > MAX_DOWNLOAD_BYTES) {
                throw new IOException("larger than " + (MAX_DOWNLOAD_BYTES >> 20) + " MiB; not an MNIST file");
            }
            return bytes;
        }
    }
}
