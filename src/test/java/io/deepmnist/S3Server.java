package io.deepmnist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real S3 server for tests: S3Proxy ({@code org.gaul:s3proxy}, which the build copies to {@code target/s3proxy})
 * in its own process, with its {@code filesystem} backend in a directory under {@code target/}, on a free loopback
 * port. Objects are plain files there, so a test can damage one. It can be stopped and started again on the same
 * port and directory, to play an outage. Each caller gets a bucket of its own.
 */
public final class S3Server implements AutoCloseable {

    public static final String ACCESS_KEY = "deep-mnist-test";
    public static final String SECRET_KEY = "deep-mnist-test-secret";
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private final Path dir;
    private final int port;
    private Process process;

    private S3Server(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Starts a server in a fresh directory under {@code target/test-tmp}; it stops when the JVM exits. */
    public static S3Server start() {
        try {
            Path dir = Files.createTempDirectory(Path.of("target", "test-tmp").toAbsolutePath(), "s3proxy");
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            S3Server server = new S3Server(dir, port);
            server.resume();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "s3proxy-stop"));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A new, empty bucket. */
    public String newBucket() {
        String bucket = "test-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
        try {
            Files.createDirectories(dir.resolve("data").resolve(bucket));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bucket;
    }

    /** Where the object {@code key} of {@code bucket} lies on disk. */
    public Path objectFile(String bucket, String key) {
        return dir.resolve("data").resolve(bucket).resolve(key);
    }

    /** The environment a service needs to reach this server with the default credential chain. */
    public static Map<String, String> credentials() {
        return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_REGION", "us-east-1");
    }

    /** Lets clients in this JVM reach it through the default credential chain (its system properties). */
    public static void useCredentialsInThisJvm() {
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
    }

    /** Stops the server, as an outage would; its objects stay. */
    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            try {
                process.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process.destroyForcibly();
            process = null;
        }
    }

    /** Starts the server (again), and waits until it answers. */
    public synchronized void resume() {
        Path jar = Path.of(System.getProperty("deepmnist.s3proxy", "target/s3proxy/s3proxy.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("S3Proxy is missing at " + jar + ": run the tests through './mvnw verify' (or "
                    + "'./mvnw generate-test-resources'), which copies org.gaul:s3proxy:jar-with-dependencies there");
        }
        try {
            Files.createDirectories(dir.resolve("data"));
            Path conf = dir.resolve("s3proxy.conf");
            Files.writeString(conf, String.join("\n",
                    "s3proxy.endpoint=" + endpoint(),
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + dir.resolve("data"), ""));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(java, "-Xmx256m", "-Djava.io.tmpdir=" + dir, "-jar", jar.toString(), "--properties", conf.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("s3proxy.log").toFile()))
                    .start();
            awaitAnswer();
        } catch (IOException e) {
            throw new UncheckedIOException("S3Proxy did not start from " + jar + ": " + e.getMessage(), e);
        }
    }

    private void awaitAnswer() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                client.send(HttpRequest.newBuilder(endpoint()).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy did not start; see " + dir.resolve("s3proxy.log")
                            + ". It needs Java 17+ and a free loopback port");
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}
