package io.deepmnist.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient;
import io.deepmnist.DeepMnistApplication;
import io.deepmnist.TestHome;
import io.deepmnist.engine.FileTrees;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What once answered 500: a model whose saved_model.pb is damaged, a model whose directory was removed under the
 * running service, and predictions while the service shuts down. Each is a problem detail with a 4xx or 503.
 */
class ModelFailuresTests {

    private static final String PIXELS = "{\"pixels\":[" + "0,".repeat(783) + "0]}";

    @Test
    void damagedOrMissingModelsAndAShutdownAreNeverA500() throws Exception {
        Path home = TestHome.create();
        String serving;
        String damaged;
        String removed;
        try (ConfigurableApplicationContext trainer = start(home)) {
            ApiClient api = TestHome.api(trainer);
            serving = train(api);
            damaged = train(api);
            removed = train(api);
            assertThat(api.post("/models/" + serving + "/promote", null).status()).isEqualTo(200);
        }
        // A new process on the same home loads the default only; the other two are damaged before their first use.
        Files.writeString(home.resolve("models").resolve(damaged).resolve("saved_model.pb"), "not a graph");
        ConfigurableApplicationContext service = start(home);
        ApiClient api = TestHome.api(service);
        try {
            ApiClient.Response corrupt = api.post("/models/" + damaged + "/predict", PIXELS);
            assertThat(corrupt.status()).as(corrupt.body()).isEqualTo(503);
            assertThat(corrupt.header("Content-Type")).startsWith("application/problem+json");
            assertThat(corrupt.json().get("detail").asString()).contains("Model " + damaged + " cannot be loaded", "DELETE /models/");

            FileTrees.delete(home.resolve("models").resolve(removed));
            ApiClient.Response missing = api.post("/models/" + removed + "/predict", PIXELS);
            assertThat(missing.status()).as(missing.body()).isEqualTo(503);
            assertThat(missing.json().get("detail").asString()).contains("cannot be loaded");
            assertThat(api.send("DELETE", "/models/" + removed, null, null).status()).isEqualTo(204);
            assertThat(api.post("/models/" + serving + "/predict", PIXELS).status()).isEqualTo(200);
        } catch (RuntimeException | Error e) {
            service.close();
            throw e;
        }
        predictionsWhileShuttingDown(service, TestHome.api(service));
    }

    /** Clients predict while the service closes: every answer is a 200 or a 503, or the connection is refused. */
    private static void predictionsWhileShuttingDown(ConfigurableApplicationContext service, ApiClient api) throws Exception {
        String base = "http://127.0.0.1:" + ((org.springframework.boot.web.server.context.WebServerApplicationContext) service)
                .getWebServer().getPort();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> clients = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/predict"))
                                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(PIXELS)).build(), HttpResponse.BodyHandlers.ofString());
                        statuses.merge(response.statusCode(), 1, Integer::sum);
                    } catch (IOException refusedOrClosed) {
                        statuses.merge(-1, 1, Integer::sum);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            thread.start();
            clients.add(thread);
        }
        Thread.sleep(500);
        service.close();
        Thread.sleep(500);
        stop.set(true);
        for (Thread thread : clients) {
            thread.join(15_000);
        }
        assertThat(statuses.getOrDefault(200, 0)).as("answered before the shutdown: %s", statuses).isPositive();
        assertThat(statuses.keySet()).as("statuses (-1: no connection)").isSubsetOf(-1, 200, 503);
    }

    private static ConfigurableApplicationContext start(Path home) {
        return SpringApplication.run(DeepMnistApplication.class, "--server.port=0", "--management.server.port=0",
                "--mnist.home=" + home, "--mnist.inference.warm-up=0s");
    }

    private static String train(ApiClient api) {
        String id = api.submit("{\"model\":\"softmax\",\"steps\":20,\"promote\":false}").get("id").asString();
        return api.awaitJob(id, j -> j.get("state").asString().equals("SUCCEEDED"), Duration.ofSeconds(120))
                .get("modelId").asString();
    }
}
