package io.deepmnist.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * 2,000 clients open the event stream of one running job and never read it: the first
 * {@code max-subscribers-per-job} (100) are served, the rest get 429 with Retry-After, and the service answers
 * its health endpoint throughout. The job runs but trains nothing (it waits for a dataset mirror that never
 * answers), so the machine's cores stay free for the streams.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EventStreamLimitsTests {

    private static final int CLIENTS = 2_000;
    private static final ServerSocket SILENT_MIRROR = silentMirror();
    private static final List<Socket> HELD = new CopyOnWriteArrayList<>();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path emptyHome = Files.createTempDirectory("mnist-no-dataset");
        registry.add("mnist.home", emptyHome::toString);
        registry.add("mnist.mirrors", () -> "http://127.0.0.1:" + SILENT_MIRROR.getLocalPort() + "/");
        registry.add("mnist.download-timeout", () -> "300s");
    }

    @LocalServerPort
    int port;

    @AfterAll
    static void closeMirror() throws IOException {
        SILENT_MIRROR.close();
        for (Socket s : HELD) {
            s.close();
        }
    }

    @Test
    void streamsBeyondTheLimitAreRefusedWith429AndTheServiceStaysResponsive() throws Exception {
        ApiClient api = new ApiClient(port);
        String id = api.submit("{\"model\":\"softmax\"}").get("id").asString();
        api.awaitJob(id, j -> j.get("state").asString().equals("RUNNING"), Duration.ofSeconds(30));

        List<Long> healthMillis = new CopyOnWriteArrayList<>();
        AtomicBoolean measuring = new AtomicBoolean(true);
        Thread prober = new Thread(() -> {
            while (measuring.get()) {
                long start = System.nanoTime();
                assertThat(api.get("/actuator/health/liveness").status()).isEqualTo(200);
                healthMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                sleep(20);
            }
        });
        prober.start();

        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jobs/" + id + "/events"))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(60)).build();
        List<CompletableFuture<HttpResponse<InputStream>>> streams = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            streams.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()));
        }
        List<HttpResponse<InputStream>> responses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<InputStream>> stream : streams) {
            responses.add(stream.get(120, TimeUnit.SECONDS));
        }
        measuring.set(false);
        prober.join();

        Map<Integer, Long> byStatus = responses.stream().collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
        assertThat(byStatus).containsOnlyKeys(200, 429);
        assertThat(byStatus.get(200)).isEqualTo(100);
        HttpResponse<InputStream> refused = responses.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("10");
        assertThat(new String(refused.body().readAllBytes())).contains("max-subscribers-per-job");

        List<Long> sorted = healthMillis.stream().sorted().toList();
        System.out.printf("liveness while %d streams opened: %d probes, median %d ms, max %d ms%n", CLIENTS, sorted.size(),
                sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
        assertThat(sorted).isNotEmpty();
        assertThat(sorted.get(sorted.size() - 1)).as("slowest liveness probe, ms").isLessThan(1000);
        for (HttpResponse<InputStream> response : responses) {
            response.body().close();
        }
        assertThat(api.get("/jobs/" + id).status()).isEqualTo(200);
    }

    private static ServerSocket silentMirror() {
        try {
            ServerSocket server = new ServerSocket(0);
            Thread accept = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        HELD.add(server.accept()); // never answers
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "silent-mirror");
            accept.setDaemon(true);
            accept.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
