package io.deepmnist.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Mixed traffic against the whole service for a while: short jobs submitted, cancelled, resumed and deleted;
 * predictions from four clients; event-stream clients that read slowly and drop. Every sample period it
 * prints the process's RSS, threads, open file descriptors and heap after a GC (client and service share the
 * process). It fails on any 5xx or when threads, descriptors or the heap after GC keep growing.
 */
final class SoakBenchmark {

    record Sample(int minute, long rssMb, int threads, long fds, long heapAfterGcMb) {
    }

    private final Duration duration;
    private final Function<String[], ConfigurableApplicationContext> service;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final AtomicLong failures = new AtomicLong();
    private final Random random = new Random(1);
    private volatile boolean running = true;
    private String base;

    SoakBenchmark(Duration duration, Function<String[], ConfigurableApplicationContext> service) {
        this.duration = duration;
        this.service = service;
    }

    int run() throws Exception {
        BenchHome home = new BenchHome(service);
        try (ConfigurableApplicationContext svc = home.startService("--mnist.jobs.heartbeat=2s")) {
            base = BenchHome.baseUrl(svc);
            String pixels = pixels(home);
            List<Thread> clients = new ArrayList<>();
            clients.add(loop("soak-jobs", this::jobTraffic));
            for (int i = 0; i < 4; i++) {
                clients.add(loop("soak-predict-" + i, () -> predict(pixels)));
            }
            clients.add(loop("soak-events", this::slowSubscriber));
            clients.forEach(Thread::start);
            List<Sample> samples = new ArrayList<>();
            long period = Math.max(5_000, Math.min(60_000, duration.toMillis() / 4));
            long end = System.currentTimeMillis() + duration.toMillis();
            while (System.currentTimeMillis() < end) {
                Thread.sleep(Math.min(period, Math.max(1, end - System.currentTimeMillis())));
                Sample sample = sample(samples.size() + 1);
                samples.add(sample);
                System.out.printf("sample %d: rss %d MB, threads %d, fds %d, heap after GC %d MB, requests %s, client errors %d%n",
                        sample.minute(), sample.rssMb(), sample.threads(), sample.fds(), sample.heapAfterGcMb(),
                        new TreeMap<>(statuses), failures.get());
            }
            running = false;
            for (Thread client : clients) {
                client.join(30_000);
            }
            return verdict(samples);
        } finally {
            home.delete();
        }
    }

    private int verdict(List<Sample> samples) {
        Map<Integer, Long> byStatus = new TreeMap<>();
        statuses.forEach((k, v) -> byStatus.put(k, v.get()));
        long serverErrors = byStatus.entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(Map.Entry::getValue).sum();
        Sample first = samples.get(0);
        Sample last = samples.get(samples.size() - 1);
        List<String> problems = new ArrayList<>();
        if (serverErrors > 0) {
            problems.add(serverErrors + " responses were 5xx");
        }
        if (last.threads() > first.threads() + 25) {
            problems.add("threads grew from " + first.threads() + " to " + last.threads());
        }
        if (last.fds() > first.fds() + 50) {
            problems.add("open file descriptors grew from " + first.fds() + " to " + last.fds());
        }
        if (last.heapAfterGcMb() > 2 * first.heapAfterGcMb() + 64) {
            problems.add("heap after GC grew from " + first.heapAfterGcMb() + " MB to " + last.heapAfterGcMb() + " MB");
        }
        BenchHome.writeResults("soak.json", Map.of("minutes", duration.toSeconds() / 60.0, "statuses", byStatus,
                "clientErrors", failures.get(), "samples", samples, "problems", problems));
        System.out.println(problems.isEmpty() ? "soak passed: no 5xx, nothing grew without bound"
                : "soak FAILED: " + String.join("; ", problems));
        return problems.isEmpty() ? 0 : 1;
    }

    private void jobTraffic() throws Exception {
        JsonNode job = call("POST", "/jobs", "{\"model\":\"softmax\",\"steps\":400,\"checkpointEvery\":100}");
        String id = job == null ? null : job.path("id").asString(null);
        Thread.sleep(300);
        if (id != null && random.nextInt(3) == 0) {
            call("POST", "/jobs/" + id + "/cancel", null);
            Thread.sleep(300);
            call("POST", "/jobs/" + id + "/resume", null);
        }
        JsonNode page = call("GET", "/jobs?size=100", null);
        if (page != null) {
            List<JsonNode> jobs = new ArrayList<>();
            page.path("content").forEach(jobs::add);
            for (JsonNode old : jobs.subList(Math.min(jobs.size(), 10), jobs.size())) {
                if (List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(old.path("state").asString(""))) {
                    call("DELETE", "/jobs/" + old.path("id").asString(), null);
                }
            }
        }
        Thread.sleep(700);
    }

    private void predict(String pixels) throws Exception {
        JsonNode models = call("GET", "/models", null);
        boolean hasDefault = false;
        for (JsonNode model : models == null ? BenchHome.JSON.createArrayNode() : models) {
            hasDefault |= model.path("isDefault").asBoolean(false);
        }
        if (!hasDefault) {
            Thread.sleep(500); // no default model yet: /predict would rightly say 503
            return;
        }
        call("POST", "/predict", pixels);
        Thread.sleep(5);
    }

    /** Opens a job's event stream, reads a little now and then, and drops it after a few seconds. */
    private void slowSubscriber() throws Exception {
        JsonNode page = call("GET", "/jobs?size=5", null);
        if (page == null || page.path("content").isEmpty()) {
            Thread.sleep(500);
            return;
        }
        String id = page.path("content").get(0).path("id").asString();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/jobs/" + id + "/events")).timeout(Duration.ofSeconds(30)).build();
        HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        count(response.statusCode());
        try (java.io.InputStream in = response.body()) {
            long until = System.currentTimeMillis() + 2_000 + random.nextInt(3_000);
            while (System.currentTimeMillis() < until && in.read(new byte[64]) >= 0) {
                Thread.sleep(200);
            }
        }
    }

    private JsonNode call(String method, String path, String json) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
            if (json != null) {
                request.header("Content-Type", "application/json");
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            count(response.statusCode());
            return response.statusCode() < 300 && !response.body().isEmpty() ? BenchHome.JSON.readTree(response.body()) : null;
        } catch (Exception e) {
            failures.incrementAndGet();
            return null;
        }
    }

    private void count(int status) {
        statuses.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
    }

    private Thread loop(String name, Step step) {
        Thread thread = new Thread(() -> {
            while (running) {
                try {
                    step.run();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    failures.incrementAndGet();
                }
            }
        }, name);
        thread.setDaemon(true);
        return thread;
    }

    private interface Step {
        void run() throws Exception;
    }

    private static String pixels(BenchHome home) {
        float[] image = new float[784];
        home.dataset().test().copyRange(0, 1, image, new float[10]);
        StringBuilder json = new StringBuilder("{\"pixels\":[");
        for (int i = 0; i < image.length; i++) {
            json.append(i == 0 ? "" : ",").append(image[i]);
        }
        return json.append("]}").toString();
    }

    private static Sample sample(int n) throws Exception {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
        long rss = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D", "")) >> 10;
            }
        }
        long fds;
        try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
            fds = open.count();
        }
        return new Sample(n, rss, ManagementFactory.getThreadMXBean().getThreadCount(), fds, heap);
    }
}
