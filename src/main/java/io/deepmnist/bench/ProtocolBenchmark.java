package io.deepmnist.bench;

import io.deepmnist.dataset.MnistFile;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.ModelInferRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The same single-image prediction through our {@code /predict}, the Open Inference Protocol's infer and TF
 * Serving's {@code :predict}, at concurrency 32: from the in-process generator, and from {@code wrk} when it is
 * on the PATH; then the Open Inference Protocol over gRPC from grpc-java in this process, one image and 32 images
 * a call, at concurrency 1, 8 and 32.
 */
final class ProtocolBenchmark {

    private static final int CONCURRENCY = 32;

    private ProtocolBenchmark() {
    }

    static List<Map<String, Object>> measure(LoadGenerator load, String base, int grpcPort, float[] images, int digits,
                                             Duration measure) throws Exception {
        Map<String, BiFunction<float[], Integer, String>> endpoints = new LinkedHashMap<>();
        endpoints.put("/predict", (px, i) -> "{\"pixels\":" + pixels(px, i) + "}");
        endpoints.put("/v2/models/mnist/infer", (px, i) -> "{\"inputs\":[{\"name\":\"images\",\"datatype\":\"FP32\","
                + "\"shape\":[1,784],\"data\":" + pixels(px, i) + "}]}");
        endpoints.put("/v1/models/mnist:predict", (px, i) -> "{\"instances\":[" + pixels(px, i) + "]}");
        Optional<Path> wrk = WrkLoad.find();
        if (wrk.isEmpty()) {
            System.out.println("wrk is not on the PATH (apt-get install wrk): the protocols are measured in-process only");
        }
        Map<String, List<byte[]>> bodies = new LinkedHashMap<>();
        for (var endpoint : endpoints.entrySet()) {
            List<byte[]> each = new ArrayList<>();
            for (int i = 0; i < digits; i++) {
                each.add(endpoint.getValue().apply(images, i).getBytes(StandardCharsets.UTF_8));
            }
            bodies.put(endpoint.getKey(), each);
        }
        Map<Integer, List<ModelInferRequest>> calls = new LinkedHashMap<>(); // by images a call
        for (int batch : new int[] {1, 32}) {
            calls.put(batch, GrpcLoad.requests(images, digits, batch));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        try (GrpcLoad grpc = new GrpcLoad(grpcPort)) {
            // Until now only /predict had load: the other endpoints' code, and all of gRPC's, would still be cold.
            JitWarmUp.run("protocols' warm-up", concurrency -> {
                for (var endpoint : bodies.entrySet()) {
                    load.run(base + endpoint.getKey(), "application/json", endpoint.getValue(), concurrency, Duration.ZERO,
                            Duration.ofMillis(500));
                }
                for (var batch : calls.entrySet()) {
                    grpc.run(batch.getValue(), concurrency, Duration.ZERO, Duration.ofMillis(batch.getKey() == 1 ? 500 : 250));
                }
            });
            for (var endpoint : bodies.entrySet()) {
                String url = base + endpoint.getKey();
                rows.add(row(endpoint.getKey(), "in-process", load.run(url, "application/json", endpoint.getValue(), CONCURRENCY,
                        Duration.ofSeconds(1), measure)));
                if (wrk.isPresent()) {
                    rows.add(row(endpoint.getKey(), "wrk", WrkLoad.run(wrk.get(), url, "application/json", endpoint.getValue().get(0),
                            CONCURRENCY, measure)));
                }
            }
            for (var batch : calls.entrySet()) {
                for (int c : new int[] {1, 8, CONCURRENCY}) {
                    rows.add(row("gRPC ModelInfer x" + batch.getKey(), "grpc-java", grpc.run(batch.getValue(), c, Duration.ofSeconds(1), measure)));
                }
            }
        }
        return rows;
    }

    private static Map<String, Object> row(String endpoint, String client, LoadGenerator.Result r) {
        Map<String, Object> row = PredictBenchmark.row(endpoint, client, r);
        row.put("endpoint", row.remove("mode"));
        row.put("client", row.remove("payload"));
        return row;
    }

    /** Pixels as the values in [0,1] a protocol client sends. */
    private static String pixels(float[] images, int index) {
        StringBuilder s = new StringBuilder("[");
        for (int p = 0; p < MnistFile.PIXELS; p++) {
            s.append(p == 0 ? "" : ",").append(images[index * MnistFile.PIXELS + p]);
        }
        return s.append(']').toString();
    }
}
