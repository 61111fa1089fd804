package io.deepmnist.bench;

import io.deepmnist.dataset.MnistDataset;
import io.deepmnist.engine.EngineSettings;
import io.deepmnist.engine.Hyperparameters;
import io.deepmnist.engine.MnistModel;
import io.deepmnist.engine.ModelKind;
import io.deepmnist.engine.Progress;
import io.deepmnist.engine.Trainer;
import io.deepmnist.engine.TrainingListener;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * {@code bench train}: the tutorial's CNN for a fixed number of steps, through the engine alone and then as a
 * job of the running service, in one process. Throughput is the median over windows of {@link #WINDOW} steps,
 * warm-up excluded.
 */
final class TrainBenchmark {

    static final int WINDOW = 50;

    private final Function<String[], ConfigurableApplicationContext> service;
    private final int steps;
    private final int warmup;

    TrainBenchmark(int steps, int warmup, Function<String[], ConfigurableApplicationContext> service) {
        this.service = service;
        this.steps = steps;
        this.warmup = warmup;
    }

    int run() throws Exception {
        BenchHome home = new BenchHome(service);
        try {
            MnistDataset data = home.dataset();
            Hyperparameters hp = ModelKind.CNN.defaults().withSteps(warmup + steps).withLogEvery(WINDOW).withCheckpointEvery(0).withSeed(1);

            List<Double> engine = new ArrayList<>();
            try (MnistModel model = MnistModel.create(hp, EngineSettings.defaults())) {
                new Trainer(data).train(model, null, new TrainingListener() {
                    @Override
                    public void onProgress(Progress p) {
                        if (p.step() >= warmup + WINDOW) {
                            engine.add(p.examplesPerSecond());
                        }
                    }
                }, () -> false);
            }
            List<Double> service = new ArrayList<>();
            try (ConfigurableApplicationContext app = home.startService()) {
                service.addAll(trainThroughService(BenchHome.baseUrl(app), hp));
            }
            return report(hp, engine, service);
        } finally {
            home.delete();
        }
    }

    private List<Double> trainThroughService(String base, Hyperparameters hp) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String body = "{\"model\":\"cnn\",\"steps\":%d,\"logEvery\":%d,\"checkpointEvery\":0,\"seed\":1}".formatted(hp.steps(), WINDOW);
        HttpResponse<String> submitted = http.send(HttpRequest.newBuilder(URI.create(base + "/jobs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        String id = BenchHome.JSON.readTree(submitted.body()).get("id").asString();
        List<Double> rates = new ArrayList<>();
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
                    if (p.get("step").asInt() >= warmup + WINDOW) {
                        rates.add(p.get("examplesPerSecond").asDouble());
                    }
                }
            }
        }
        return rates;
    }

    private int report(Hyperparameters hp, List<Double> engine, List<Double> service) {
        double engineImages = Stats.median(engine);
        double serviceImages = Stats.median(service);
        double ratio = engineImages > 0 ? serviceImages / engineImages : 0;
        long peakRss = Stats.peakRssBytes();
        System.out.printf(Locale.ROOT, "CNN training, batch %d, %d steps after %d warm-up, median over %d-step windows%n",
                hp.batchSize(), steps, warmup, WINDOW);
        System.out.printf(Locale.ROOT, "  engine alone     %6.1f steps/s  %7.0f images/s  (%d windows)%n",
                engineImages / hp.batchSize(), engineImages, engine.size());
        System.out.printf(Locale.ROOT, "  service (HTTP)   %6.1f steps/s  %7.0f images/s  (%d windows)%n",
                serviceImages / hp.batchSize(), serviceImages, service.size());
        System.out.printf(Locale.ROOT, "  service/engine   %.3f%n", ratio);
        System.out.printf(Locale.ROOT, "  peak RSS         %.0f MB%n", peakRss / 1e6);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("benchmark", "train");
        results.put("model", "cnn");
        results.put("batchSize", hp.batchSize());
        results.put("steps", steps);
        results.put("warmupSteps", warmup);
        results.put("windowSteps", WINDOW);
        results.put("engineStepsPerSecond", Stats.round(engineImages / hp.batchSize(), 2));
        results.put("engineImagesPerSecond", Stats.round(engineImages, 1));
        results.put("serviceStepsPerSecond", Stats.round(serviceImages / hp.batchSize(), 2));
        results.put("serviceImagesPerSecond", Stats.round(serviceImages, 1));
        results.put("serviceToEngineRatio", Stats.round(ratio, 3));
        results.put("peakRssBytes", peakRss);
        results.put("cores", Runtime.getRuntime().availableProcessors());
        results.put("engineWindows", engine);
        results.put("serviceWindows", service);
        BenchHome.writeResults("train.json", results);
        return engine.isEmpty() || service.isEmpty() ? 1 : 0;
    }
}
