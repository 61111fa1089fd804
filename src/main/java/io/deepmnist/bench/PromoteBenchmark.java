package io.deepmnist.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * {@code bench promote --replicas=URL_A,URL_B [--rounds=20]}: how long a change made on one replica of a running
 * fleet takes to reach the others, as their answers show it: a promotion ({@code /predict} answers with the promoted
 * model), an alias moved ({@code /models/{alias}/predict} answers with its new model) and the traffic policy set
 * ({@code /predict} answers from the route it names). The fleet needs two models or more; each round changes one
 * thing on the first replica and asks each other replica until it answers accordingly. The alias {@value #ALIAS}
 * and the policy are removed at the end. The API key, where the fleet has one, comes from {@code MNIST_API_KEY}.
 */
final class PromoteBenchmark {

    static final String ALIAS = "bench-promote";
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

    /** One kind of change: {@link #make} it on the first replica in a round, then {@link #seen} on another. */
    private interface Change {
        /** @return the model the other replicas should then answer with */
        String make(int round) throws Exception;

        String path();
    }

    int run() throws Exception {
        List<String> models = new ArrayList<>();
        for (JsonNode model : calls.json(replicas.get(0) + "/models", null)) {
            models.add(model.get("id").asString());
        }
        if (models.size() < 2) {
            throw new IllegalStateException("the fleet has " + models.size() + " model(s); train two or more first");
        }
        String first = replicas.get(0);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("benchmark", "promote");
        results.put("replicas", replicas.size());
        results.put("promotion", measure("promotion", new Change() {
            public String make(int round) throws Exception {
                String target = models.get(round % models.size());
                calls.send(first + "/models/" + target + "/promote", "");
                return target;
            }

            public String path() {
                return "/predict";
            }
        }));
        results.put("alias", measure("alias", new Change() {
            public String make(int round) throws Exception {
                String target = models.get(round % models.size());
                calls.send("PUT", first + "/models/aliases/" + ALIAS, "{\"modelId\":\"" + target + "\"}");
                return target;
            }

            public String path() {
                return "/models/" + ALIAS + "/predict";
            }
        }));
        String defaultModel = calls.json(first + "/models/default", null).get("id").asString();
        String other = models.stream().filter(m -> !m.equals(defaultModel)).findFirst().orElseThrow();
        calls.send("PUT", first + "/models/aliases/" + ALIAS, "{\"modelId\":\"" + other + "\"}");
        try {
            results.put("policy", measure("traffic policy", new Change() {
                public String make(int round) throws Exception {
                    String alias = round % 2 == 0 ? ALIAS : "default";
                    calls.send("PUT", first + "/models/traffic", "{\"routes\":[{\"alias\":\"" + alias + "\",\"weight\":100}]}");
                    return round % 2 == 0 ? other : defaultModel;
                }

                public String path() {
                    return "/predict";
                }
            }));
        } finally {
            calls.send("DELETE", first + "/models/traffic", null);
            calls.send("DELETE", first + "/models/aliases/" + ALIAS, null);
        }
        BenchHome.writeResults("promote.json", results);
        return 0;
    }

    private Map<String, Object> measure(String name, Change change) throws Exception {
        List<Double> millis = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            String target = change.make(round);
            long made = System.nanoTime();
            for (String other : replicas.subList(1, replicas.size())) {
                while (!answersWith(other + change.path(), target)) {
                    if (System.nanoTime() - made > GIVE_UP_NANOS) {
                        throw new IllegalStateException(other + change.path() + " still answers with another model 60 s after the "
                                + name + " change to " + target);
                    }
                    Thread.sleep(1);
                }
                millis.add((System.nanoTime() - made) / 1e6);
            }
        }
        double[] values = millis.stream().mapToDouble(Double::doubleValue).toArray();
        double median = Stats.median(millis);
        double p99 = Stats.percentile(values, 99);
        double max = millis.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        System.out.printf(Locale.ROOT, "%s reached the other replicas: median %.1f ms, p99 %.1f ms, max %.1f ms (%d samples)%n",
                name, median, p99, max, values.length);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("samples", values.length);
        result.put("medianMillis", Stats.round(median, 2));
        result.put("p99Millis", Stats.round(p99, 2));
        result.put("maxMillis", Stats.round(max, 2));
        return result;
    }

    private boolean answersWith(String url, String model) throws Exception {
        JsonNode answer = calls.jsonOrNull(url, BLANK);
        return answer != null && answer.get("modelId").asString().equals(model);
    }
}
