package io.deepmnist.bench;

import io.deepmnist.dataset.MnistDataset;
import io.deepmnist.dataset.MnistFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code bench predict-compare}: the service against the plain predictor a user could write instead
 * ({@link PlainPredictor}), on the same SavedModel. Single-image JSON {@code POST /predict} from {@code wrk} in its
 * own process, the two servers alternately, {@code --rounds} rounds of {@code --seconds} at concurrency 1, 8 and
 * 32 after a warm-up; it prints the medians and their ratio.
 */
final class PredictCompareBenchmark {

    private static final int[] CONCURRENCY = {1, 8, 32};
    private static final Duration WARM_UP = Duration.ofSeconds(5);

    private final Duration measure;
    private final int rounds;
    private final int modelSteps;
    private final Function<String[], ConfigurableApplicationContext> service;

    PredictCompareBenchmark(Duration measure, int rounds, int modelSteps, Function<String[], ConfigurableApplicationContext> service) {
        this.measure = measure;
        this.rounds = rounds;
        this.modelSteps = modelSteps;
        this.service = service;
    }

    int run() throws Exception {
        Path wrk = WrkLoad.find().orElseThrow(() -> new IllegalStateException(
                "bench predict-compare drives both servers with wrk, which is not on the PATH: sudo apt-get install wrk"));
        BenchHome home = new BenchHome(service);
        try {
            MnistDataset data = home.dataset();
            Path model = home.trainDefaultCnn(data, modelSteps, m -> { });
            float[] images = new float[MnistFile.PIXELS];
            data.test().copyRange(0, 1, images, new float[MnistFile.CLASSES]);
            byte[] body = PredictBenchmark.json(images, 0);
            try (ConfigurableApplicationContext app = home.startService();
                 PlainPredictor plain = PlainPredictor.start(model)) {
                Map<String, String> urls = new LinkedHashMap<>();
                urls.put("service", BenchHome.baseUrl(app) + "/predict");
                urls.put("plain", plain.url());
                int serviceDigit = digit(urls.get("service"), body);
                int plainDigit = digit(urls.get("plain"), body);
                if (serviceDigit != plainDigit) {
                    throw new IllegalStateException("the servers disagree on the first test image: " + serviceDigit + " and " + plainDigit);
                }
                for (String url : urls.values()) {
                    WrkLoad.run(wrk, url, "application/json", body, 8, WARM_UP);
                }
                System.out.println("conc   service req/s   plain req/s   ratio   service p99 ms   plain p99 ms   errors");
                List<Map<String, Object>> rows = new ArrayList<>();
                for (int c : CONCURRENCY) {
                    Map<String, List<LoadGenerator.Result>> runs = new LinkedHashMap<>();
                    for (int r = 0; r < rounds; r++) {
                        for (Map.Entry<String, String> server : urls.entrySet()) {
                            runs.computeIfAbsent(server.getKey(), k -> new ArrayList<>())
                                    .add(WrkLoad.run(wrk, server.getValue(), "application/json", body, c, measure));
                        }
                    }
                    rows.add(row(c, runs.get("service"), runs.get("plain")));
                }
                Map<String, Object> results = new LinkedHashMap<>();
                results.put("benchmark", "predict-compare");
                results.put("model", "cnn (" + modelSteps + " training steps, " + BenchHome.PRECISION.precision().id() + ")");
                results.put("cores", Runtime.getRuntime().availableProcessors());
                results.put("rounds", rounds);
                results.put("measureSeconds", measure.toSeconds());
                results.put("rows", rows);
                BenchHome.writeResults("predict-compare.json", results);
            }
            return 0;
        } finally {
            home.delete();
        }
    }

    private static Map<String, Object> row(int concurrency, List<LoadGenerator.Result> service, List<LoadGenerator.Result> plain) {
        double serviceRate = Stats.median(service.stream().map(LoadGenerator.Result::requestsPerSecond).toList());
        double plainRate = Stats.median(plain.stream().map(LoadGenerator.Result::requestsPerSecond).toList());
        double serviceP99 = Stats.median(service.stream().map(LoadGenerator.Result::p99Millis).toList());
        double plainP99 = Stats.median(plain.stream().map(LoadGenerator.Result::p99Millis).toList());
        long errors = service.stream().mapToLong(LoadGenerator.Result::errors).sum() + plain.stream().mapToLong(LoadGenerator.Result::errors).sum();
        System.out.printf(Locale.ROOT, "%4d %15.0f %13.0f %7.2f %16.2f %14.2f %8d%n",
                concurrency, serviceRate, plainRate, serviceRate / plainRate, serviceP99, plainP99, errors);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("concurrency", concurrency);
        row.put("serviceRequestsPerSecond", Stats.round(serviceRate, 1));
        row.put("plainRequestsPerSecond", Stats.round(plainRate, 1));
        row.put("ratio", Stats.round(serviceRate / plainRate, 3));
        row.put("serviceP99Millis", serviceP99);
        row.put("plainP99Millis", plainP99);
        row.put("serviceRounds", service.stream().map(LoadGenerator.Result::requestsPerSecond).toList());
        row.put("plainRounds", plain.stream().map(LoadGenerator.Result::requestsPerSecond).toList());
        row.put("errors", errors);
        return row;
    }

    private static int digit(String url, byte[] body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        String answer = response.body();
        int at = answer.indexOf("\"digit\":");
        return Character.digit(answer.charAt(at + "\"digit\":".length()), 10);
    }
}
