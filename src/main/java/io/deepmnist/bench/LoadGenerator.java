package io.deepmnist.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
        return closedLoop("load", concurrency, warmup, measure, i -> {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i % bodies.size())))
                    .build();
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode() == 200;
        });
    }

    /** The {@code i}-th call of one client (clients start at their own index); true when it was answered as expected. */
    interface Call {
        boolean send(int i) throws Exception;
    }

    /**
     * {@code concurrency} clients on threads named {@code name-N}, each making its next call as soon as the last is
     * answered, for {@code warmup} and then {@code measure}; only calls sent and answered within the measured window
     * count. A call that throws counts as an error.
     */
    static Result closedLoop(String name, int concurrency, Duration warmup, Duration measure, Call call) throws InterruptedException {
        long measureFrom = System.nanoTime() + warmup.toNanos();
        long end = measureFrom + measure.toNanos();
        AtomicLong errors = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            int client = c;
            Thread thread = new Thread(() -> {
                long[] own = new long[4096];
                int count = 0;
                int i = client;
                while (System.nanoTime() < end) {
                    long sent = System.nanoTime();
                    boolean ok;
                    try {
                        ok = call.send(i++);
                    } catch (Exception e) {
                        ok = false;
                    }
                    long done = System.nanoTime();
                    if (sent >= measureFrom && done <= end) {
                        if (!ok) {
                            errors.incrementAndGet();
                        }
                        if (count == own.length) {
                            own = Arrays.copyOf(own, own.length * 2);
                        }
                        own[count++] = done - sent;
                    }
                }
                synchronized (latencies) {
                    latencies.add(Arrays.copyOf(own, count));
                }
            }, name + "-" + c);
            thread.start();
            clients.add(thread);
        }
        for (Thread thread : clients) {
            thread.join();
        }
        return result(concurrency, latencies, errors.get(), measure);
    }

    /** Rate and percentiles of the latencies (nanoseconds, one array per client) measured over {@code measure}. */
    static Result result(int concurrency, List<long[]> latencies, long errors, Duration measure) {
        double[] millis = latencies.stream().flatMapToLong(Arrays::stream).mapToDouble(n -> n / 1e6).toArray();
        double seconds = measure.toNanos() / 1e9;
        return new Result(concurrency, Stats.round(millis.length / seconds, 1), Stats.round(Stats.percentile(millis, 50), 2),
                Stats.round(Stats.percentile(millis, 99), 2), millis.length, errors);
    }
}
