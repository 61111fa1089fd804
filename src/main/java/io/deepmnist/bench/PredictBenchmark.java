package io.deepmnist.bench;

import io.deepmnist.dataset.MnistDataset;
import io.deepmnist.dataset.MnistFile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code bench predict}: single-image JSON and PNG requests at concurrency 1, 8 and 32, with dynamic batching on
 * and off, against a CNN trained for the benchmark; the model's own batched throughput without HTTP; the same
 * prediction through the standard protocols ({@link ProtocolBenchmark}); and predictions while a CNN job trains.
 */
final class PredictBenchmark {

    private static final int[] CONCURRENCY = {1, 8, 32};
    private static final int DIGITS = 100;

    private final Function<String[], ConfigurableApplicationContext> service;
    private final Duration measure;
    private final int modelSteps;

    PredictBenchmark(Duration measure, int modelSteps, Function<String[], ConfigurableApplicationContext> service) {
        this.service = service;
        this.measure = measure;
        this.modelSteps = modelSteps;
    }

    int run() throws Exception {
        BenchHome home = new BenchHome(service);
        try {
            MnistDataset data = home.dataset();
            float[] images = new float[DIGITS * MnistFile.PIXELS];
            data.test().copyRange(0, DIGITS, images, new float[DIGITS * MnistFile.CLASSES]);
            double inProcess = trainModel(home, data);

            List<byte[]> json = new ArrayList<>();
            List<byte[]> png = new ArrayList<>();
            for (int i = 0; i < DIGITS; i++) {
                json.add(json(images, i));
                png.add(png(images, i));
            }
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("benchmark", "predict");
            results.put("model", "cnn (" + modelSteps + " training steps, " + BenchHome.PRECISION.precision().id() + ")");
            results.put("cores", Runtime.getRuntime().availableProcessors());
            results.put("measureSeconds", measure.toSeconds());
            results.put("inProcessImagesPerSecondBatch32", Stats.round(inProcess, 1));
            System.out.printf(Locale.ROOT, "model: a %d-step CNN trained and served in %s%n", modelSteps,
                    BenchHome.PRECISION.reason());
            System.out.printf(Locale.ROOT, "in-process forward pass, batch 32: %.0f images/s%n", inProcess);
            LoadGenerator load = new LoadGenerator();
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ConfigurableApplicationContext on = home.startService("--mnist.inference.batching.enabled=true")) {
                rows.addAll(batchingAgainstNone(home, load, on, json, png));
                // Measured once the other service is closed: its background work (the log's retention, the
                // feedback gauges' reads) would share the cores.
                System.out.println("endpoint (batching, json)  client     conc    req/s   p50 ms   p99 ms  errors");
                results.put("protocols", ProtocolBenchmark.measure(load, BenchHome.baseUrl(on), BenchHome.grpcPort(on), images,
                        DIGITS, measure));
            }
            results.put("http", rows);
            try (ConfigurableApplicationContext app = home.startService()) {
                String base = BenchHome.baseUrl(app);
                warmUp(load, List.of(base + "/predict"), json, png);
                String job = startCnnJob(base);
                double alone = stepsPerSecond(base, job, () -> Thread.sleep(measure.toMillis()));
                List<Map<String, Object>> whileTraining = new ArrayList<>();
                for (int c : new int[] {8, 32}) {
                    LoadGenerator.Result[] r = new LoadGenerator.Result[1];
                    double loaded = stepsPerSecond(base, job, () -> r[0] = load.run(base + "/predict", "application/json",
                            json, c, Duration.ZERO, measure));
                    Map<String, Object> row = row("batching+training", "json", r[0]);
                    row.put("trainingStepsPerSecondAlone", Stats.round(alone, 2));
                    row.put("trainingStepsPerSecond", Stats.round(loaded, 2));
                    System.out.printf(Locale.ROOT, "  training meanwhile: %.1f steps/s, alone %.1f steps/s (%.2fx)%n",
                            loaded, alone, loaded / alone);
                    whileTraining.add(row);
                }
                results.put("whileTraining", whileTraining);
                results.put("rssWhileTrainingBytes", Stats.currentRssBytes());
                HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + job + "/cancel"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            }
            results.put("peakRssBytes", Stats.peakRssBytes());
            System.out.printf(Locale.ROOT, "RSS while training and predicting: %.0f MB; peak RSS of the whole run: %.0f MB%n",
                    (long) results.get("rssWhileTrainingBytes") / 1e6, Stats.peakRssBytes() / 1e6);
            BenchHome.writeResults("predict.json", results);
            return 0;
        } finally {
            home.delete();
        }
    }

    /**
     * {@code /predict} with batching ({@code on}) and without, each payload and concurrency. Both services run side by
     * side in this JVM and each scenario is measured on one right after the other, so neither is favoured by a
     * warmer JIT.
     */
    private List<Map<String, Object>> batchingAgainstNone(BenchHome home, LoadGenerator load, ConfigurableApplicationContext on,
                                                         List<byte[]> json, List<byte[]> png) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (ConfigurableApplicationContext off = home.startService("--mnist.inference.batching.enabled=false")) {
            Map<String, String> urls = new LinkedHashMap<>();
            urls.put("batching", BenchHome.baseUrl(on) + "/predict");
            urls.put("no-batching", BenchHome.baseUrl(off) + "/predict");
            warmUp(load, List.copyOf(urls.values()), json, png);
            System.out.println("mode                       payload    conc    req/s   p50 ms   p99 ms  errors");
            Optional<Path> wrk = WrkLoad.find();
            for (String payload : List.of("json", "png")) {
                String type = payload.equals("json") ? "application/json" : "image/png";
                List<byte[]> bodies = payload.equals("json") ? json : png;
                for (int c : CONCURRENCY) {
                    for (Map.Entry<String, String> mode : urls.entrySet()) {
                        rows.add(row(mode.getKey(), payload, load.run(mode.getValue(), type, bodies, c, Duration.ofSeconds(1), measure)));
                    }
                    if (wrk.isPresent()) { // the default mode again, from a load generator in its own process
                        rows.add(row("batching (wrk)", payload, WrkLoad.run(wrk.get(), urls.get("batching"), type, bodies.get(0), c, measure)));
                    }
                }
            }
        }
        return rows;
    }

    /** Every scenario's path gets load, in turns, until the JIT compiler has caught up. */
    private static void warmUp(LoadGenerator load, List<String> urls, List<byte[]> json, List<byte[]> png) throws Exception {
        JitWarmUp.run("warm-up", concurrency -> {
            for (String url : urls) {
                load.run(url, "application/json", json, concurrency, Duration.ZERO, Duration.ofMillis(500));
                load.run(url, "image/png", png, concurrency, Duration.ZERO, Duration.ofMillis(250));
            }
        });
    }

    static Map<String, Object> row(String mode, String payload, LoadGenerator.Result r) {
        System.out.printf(Locale.ROOT, "%-26s %-10s %4d %8.0f %8.2f %8.2f %7d%n",
                mode, payload, r.concurrency(), r.requestsPerSecond(), r.p50Millis(), r.p99Millis(), r.errors());
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("mode", mode);
        row.put("payload", payload);
        row.put("concurrency", r.concurrency());
        row.put("requestsPerSecond", r.requestsPerSecond());
        row.put("p50Millis", r.p50Millis());
        row.put("p99Millis", r.p99Millis());
        row.put("requests", r.requests());
        row.put("errors", r.errors());
        return row;
    }

    /** Trains and exports the benchmark's model as the default; returns its in-process batch-32 throughput. */
    private double trainModel(BenchHome home, MnistDataset data) {
        double[] imagesPerSecond = new double[1];
        home.trainDefaultCnn(data, modelSteps, model -> {
            float[] batch = new float[32 * MnistFile.PIXELS];
            data.test().copyRange(0, 32, batch, new float[32 * MnistFile.CLASSES]);
            for (int i = 0; i < 20; i++) {
                model.probabilities(batch, 32);
            }
            long start = System.nanoTime();
            int runs = 0;
            while (System.nanoTime() - start < 3_000_000_000L) {
                model.probabilities(batch, 32);
                runs++;
            }
            imagesPerSecond[0] = runs * 32 / ((System.nanoTime() - start) / 1e9);
        });
        return imagesPerSecond[0];
    }

    interface Window {
        void run() throws Exception;
    }

    /** The job's training rate while {@code window} runs, from its step count before and after. */
    private static double stepsPerSecond(String base, String job, Window window) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest get = HttpRequest.newBuilder(URI.create(base + "/jobs/" + job)).build();
        int before = BenchHome.JSON.readTree(http.send(get, HttpResponse.BodyHandlers.ofString()).body()).get("step").asInt();
        long start = System.nanoTime();
        window.run();
        int after = BenchHome.JSON.readTree(http.send(get, HttpResponse.BodyHandlers.ofString()).body()).get("step").asInt();
        return (after - before) / ((System.nanoTime() - start) / 1e9);
    }

    private static String startCnnJob(String base) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/jobs")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"cnn\",\"seed\":1,\"logEvery\":5}")).build(), HttpResponse.BodyHandlers.ofString());
        String id = BenchHome.JSON.readTree(r.body()).get("id").asString();
        for (int i = 0; i < 300; i++) {
            String job = http.send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + id)).build(), HttpResponse.BodyHandlers.ofString()).body();
            if (BenchHome.JSON.readTree(job).get("step").asInt() > 0) {
                return id;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the CNN job did not start");
    }

    static byte[] json(float[] images, int index) {
        StringBuilder s = new StringBuilder("{\"pixels\":[");
        for (int p = 0; p < MnistFile.PIXELS; p++) {
            s.append(p == 0 ? "" : ",").append(Math.round(images[index * MnistFile.PIXELS + p] * 255));
        }
        return s.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] png(float[] images, int index) throws Exception {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int p = 0; p < MnistFile.PIXELS; p++) {
            image.getRaster().setSample(p % 28, p / 28, 0, Math.round(images[index * MnistFile.PIXELS + p] * 255));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
