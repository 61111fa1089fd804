package io.deepmnist.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A closed-loop HTTP load generator on loopback: {@code concurrency} clients, each sending its next request as soon as the last is answered. */
final class LoadGenerator {

    record Result(int concurrency, double requestsPerSecond, double p50Millis, double p99Millis, long requests, long errors) {
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    Result run(String url, String contentType, List<byte[]> bodies, int concurrency, Duration warmup, Duration measure)
            throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + measure.toNanos();
        AtomicLong errors = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            int client = c;
            long[][] own = {new long[4096]};
            int[] count = {0};
            Thread thread = new Thread(() -> {
                int i = client;
                while (System.nanoTime() < end) {
                    byte[] body = bodies.get(i++ % bodies.size());
                    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                            .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                    long sent = System.nanoTime();
                    boolean ok;
                    try {
                        ok = http.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode() == 200;
                    } catch (Exception e) {
                        ok = false;
                    }
                    long done = System.nanoTime();
                    if (sent >= measureFrom && done <= end) {
                        if (!ok) {
                            errors.incrementAndGet();
                        }
                        if (count[0] == own[0].length) {
                            own[0] = java.util.Arrays.copyOf(own[0], own[0].length * 2);
                        }
                        own[0][count[0]++] = done - sent;
                    }
                }
                synchronized (latencies) {
                    latencies.add(java.util.Arrays.copyOf(own[0], count[0]));
                }
            }, "load-" + c);
            thread.start();
            clients.add(thread);
        }
        for (Thread thread : clients) {
            thread.join();
        }
        double[] millis = latencies.stream().flatMapToLong(java.util.Arrays::stream).mapToDouble(n -> n / 1e6).toArray();
        double seconds = measure.toNanos() / 1e9;
        return new Result(concurrency, Stats.round(millis.length / seconds, 1), Stats.round(Stats.percentile(millis, 50), 2),
                Stats.round(Stats.percentile(millis, 99), 2), millis.length, errors.get());
    }
}
