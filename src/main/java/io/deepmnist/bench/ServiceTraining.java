package io.deepmnist.bench;

import io.deepmnist.engine.Hyperparameters;
import io.deepmnist.engine.Precision;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/** A training job of a running service, timed by the rates its own progress events report. */
final class ServiceTraining {

    private ServiceTraining() {
    }

    /**
     * Trains {@code hp} as a job of the service at {@code base} and follows its events: the median of the rates it
     * reported from step {@code fromStep} on, and its test accuracy.
     */
    static TrainBenchmark.Run run(String base, Hyperparameters hp, Precision precision, int checkpointEvery, int fromStep)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String body = "{\"model\":\"cnn\",\"steps\":%d,\"logEvery\":%d,\"checkpointEvery\":%d,\"seed\":1,\"precision\":\"%s\"}"
                .formatted(hp.steps(), TrainBenchmark.WINDOW, checkpointEvery, precision.id());
        HttpResponse<String> submitted = http.send(HttpRequest.newBuilder(URI.create(base + "/jobs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        String id = BenchHome.JSON.readTree(submitted.body()).get("id").asString();
        List<Double> windows = new ArrayList<>();
        HttpResponse<Stream<String>> events = http.send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + id + "/events"))
                .timeout(Duration.ofHours(2)).build(), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = events.body()) {
            String type = null;
            for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                String line = it.next();
                if (line.startsWith("event:")) {
                    type = line.substring(6).trim();
                } else if (line.startsWith("data:") && "progress".equals(type)) {
                    JsonNode p = BenchHome.JSON.readTree(line.substring(5));
                    if (p.get("step").asInt() >= fromStep) {
                        windows.add(p.get("examplesPerSecond").asDouble());
                    }
                }
            }
        }
        JsonNode job = BenchHome.JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + id)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        JsonNode accuracy = job.get("testAccuracy");
        return new TrainBenchmark.Run(Stats.median(windows), accuracy == null || accuracy.isNull() ? Double.NaN : accuracy.asDouble());
    }
}
