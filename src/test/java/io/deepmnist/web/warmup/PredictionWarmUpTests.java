package io.deepmnist.web.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient;
import io.deepmnist.DeepMnistApplication;
import io.deepmnist.TestHome;
import io.deepmnist.TrainsCnn;
import io.deepmnist.inference.TrainedModels;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * At start-up with a default model, the service sends itself predictions over its own port before it reports
 * ready; without one it is ready at once.
 */
class PredictionWarmUpTests {

    @TrainsCnn
    @Test
    void readinessWaitsWhileTheServiceSendsItselfPredictionsThroughItsOwnPort() throws InterruptedException {
        Path home = TestHome.create();
        TrainedModels.linkInto(home, TrainedModels.cnn());
        try (ConfigurableApplicationContext first = TestHome.start(home)) {
            ApiClient api = TestHome.api(first);
            assertThat(api.post("/models/" + TrainedModels.cnn().id() + "/promote", null).status()).isEqualTo(200);
            // What the warm-up sends is a 7 in both forms, for the model too.
            assertThat(api.sendBytes("/predict", "application/json", WarmUpSamples.json()).json()
                    .get("predictions").get(0).get("digit").asInt()).isEqualTo(7);
            assertThat(api.sendBytes("/predict", "image/png", WarmUpSamples.png()).json()
                    .get("predictions").get(0).get("digit").asInt()).isEqualTo(7);
        }
        // Predictions need the key here: the warm-up must send it, or every one of its requests is refused.
        try (ConfigurableApplicationContext context = SpringApplication.run(DeepMnistApplication.class, "--server.port=0",
                "--management.server.port=0", "--mnist.home=" + home, "--mnist.inference.warm-up=3s",
                "--mnist.security.api-key=secret", "--mnist.security.protect-predict=true")) {
            ApiClient api = TestHome.api(context, "secret"); // the key shows readiness details too
            ApiClient.Response warming = api.get("/readyz");
            assertThat(warming.status()).isEqualTo(503);
            assertThat(warming.json().get("components").get("predictionWarmUp").get("status").asString()).isEqualTo("OUT_OF_SERVICE");

            JsonNode warmUp = awaitReady(api).get("components").get("predictionWarmUp");
            assertThat(warmUp.get("status").asString()).isEqualTo("UP");
            JsonNode details = warmUp.get("details");
            assertThat(details.get("phase").asString()).isEqualTo("done");
            // 3 s is less than the least the warm-up waits for the compiler to settle.
            assertThat(details.get("ended").asString()).isEqualTo("the limit of 3 s was reached");
            assertThat(details.has("note")).as("no failure: %s", details).isFalse();
            int sent = details.get("requests").asInt();
            assertThat(sent).isGreaterThan(10);
            assertThat(details.get("refusedConnections").asInt()).isPositive();

            String metrics = TestHome.management(context, "secret").get("/actuator/prometheus").body();
            assertThat(successfulPredictions(metrics)).isGreaterThanOrEqualTo(sent);
            assertThat(metrics).contains("uri=\"/predict\"");
        }
    }

    /**
     * Without a default model only the refusals are sent: 6,000 connections of their own, each refused at once, so
     * that the first flood of reconnecting clients meets a compiled path (issue 30, item 11: before, the service was
     * ready at once and cold). They stay out of the request metrics.
     */
    @Test
    void withoutADefaultModelTheServiceWarmsItsRefusalsUpOnNewConnectionsBeforeItIsReady() throws InterruptedException {
        try (ConfigurableApplicationContext context = SpringApplication.run(DeepMnistApplication.class, "--server.port=0",
                "--management.server.port=0", "--mnist.home=" + TestHome.create(), "--mnist.inference.warm-up=60s")) {
            JsonNode details = awaitReady(TestHome.api(context)).get("components").get("predictionWarmUp").get("details");
            assertThat(details.get("phase").asString()).isEqualTo("skipped");
            assertThat(details.get("note").asString()).isEqualTo("no default model yet: no predictions to warm up");
            assertThat(details.get("refusedConnections").asInt()).isEqualTo(ConnectionWarmUp.REQUESTS);
            assertThat(details.get("requests").asInt()).isZero();

            ApiClient api = TestHome.api(context);
            assertThat(api.get("/jobs;x=1").status()).isEqualTo(400);
            String metrics = TestHome.management(context).get("/actuator/prometheus").body();
            assertThat(metrics.lines().filter(l -> l.startsWith("http_server_requests_seconds_count{") && l.contains("status=\"400\"")))
                    .as("only the test's own 400 is counted").singleElement().satisfies(l -> assertThat(l).endsWith(" 1"));
        }
    }

    private static JsonNode awaitReady(ApiClient api) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            ApiClient.Response readiness = api.get("/readyz");
            if (readiness.status() == 200) {
                return readiness.json();
            }
            assertThat(Instant.now()).as("still not ready: %s", readiness.body()).isBefore(deadline);
            Thread.sleep(100);
        }
    }

    private static double successfulPredictions(String prometheus) {
        return prometheus.lines().filter(l -> l.startsWith("deepmnist_predict_requests_total{") && l.contains("outcome=\"success\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
