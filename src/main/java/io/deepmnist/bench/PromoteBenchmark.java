package io.deepmnist.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * {@code bench promote --replicas=URL_A,URL_B [--rounds=20]}: how long a promotion made on one replica of a running
 * fleet takes to reach the others, as their {@code /predict} answers show it. The fleet needs two models or more;
 * each round promotes the next one on the first replica and asks each other replica until it answers with it.
 * The API key, where the fleet has one, comes from {@code MNIST_API_KEY}.
 */
final class PromoteBenchmark {

    private static final long GIVE_UP_NANOS = 60_000_000_000L;
    private static final String BLANK = "{\"pixels\":[" + "0,".repeat(783) + "0]}";

    private final List<String> replicas;
    private final int rounds;
    private final BenchCalls calls = new BenchCalls(System.getenv().getOrDefault("MNIST_API_KEY", ""));

    PromoteBenchmark(List<String> replicas, int rounds) {
        if (replicas.size() < 2) {
            throw new IllegalArgumentException("--replicas needs two base URLs or more, comma-separated");
        }
        this.replicas = replicas;
        this.rounds = rounds;
    }

    int run() throws Exception {
        List<String> models = new ArrayList<>();
        for (JsonNode model : calls.json(replicas.get(0) + "/models", null)) {
            models.add(model.get("id").asString());
        }
        if (models.size() < 2) {
            throw new IllegalStateException("the fleet has " + models.size() + " model(s); train two or more first");
        }
        List<Double> millis = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            String target = models.get(round % models.size());
            calls.send(replicas.get(0) + "/models/" + target + "/promote", "");
            long promoted = System.nanoTime();
            for (String other : replicas.subList(1, replicas.size())) {
                while (!calls.json(other + "/predict", BLANK).get("modelId").asString().equals(target)) {
                    if (System.nanoTime() - promoted > GIVE_UP_NANOS) {
                        throw new IllegalStateException(other + " still serves another model 60 s after promoting " + target);
                    }
                    Thread.sleep(1);
                }
                millis.add((System.nanoTime() - promoted) / 1e6);
            }
        }
        double[] values = millis.stream().mapToDouble(Double::doubleValue).toArray();
        double median = Stats.median(millis);
        double p99 = Stats.percentile(values, 99);
        double max = millis.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        System.out.printf(Locale.ROOT, "promotion reached the other replicas: median %.1f ms, p99 %.1f ms, max %.1f ms (%d samples)%n",
                median, p99, max, values.length);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("benchmark", "promote");
        results.put("replicas", replicas.size());
        results.put("samples", values.length);
        results.put("medianMillis", Stats.round(median, 2));
        results.put("p99Millis", Stats.round(p99, 2));
        results.put("maxMillis", Stats.round(max, 2));
        BenchHome.writeResults("promote.json", results);
        return 0;
    }
}
