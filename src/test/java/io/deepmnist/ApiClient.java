package io.deepmnist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP and server-sent-events client for tests that talk to the service over a real socket. */
public final class ApiClient {

    public record Response(int status, Map<String, List<String>> headers, String body) {
        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    public record SseEvent(long id, String type, JsonNode data) {
    }

    static final JsonMapper JSON = JsonMapper.builder().build();

    public static JsonNode parse(String json) {
        return JSON.readTree(json);
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    /** A header sent with every request: an API key, say. */
    private final String[] header;

    public ApiClient(int port) {
        this(port, null, null);
    }

    private ApiClient(int port, String name, String value) {
        this.base = "http://127.0.0.1:" + port;
        this.header = name == null ? new String[0] : new String[] {name, value};
    }

    /** The same client that sends {@code name: value} with every request. */
    public static ApiClient withHeader(int port, String name, String value) {
        return new ApiClient(port, name, value);
    }

    public Response send(String method, String path, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return exchange(request.build());
    }

    /** A JSON POST with one extra header. */
    public Response sendWithHeader(String path, String header, String value, String json) {
        return exchange(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header(header, value)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public Response sendBytes(String path, String contentType, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return exchange(request);
    }

    /** A multipart/form-data POST with one part named {@code part} per file. */
    public Response multipart(String path, String part, List<byte[]> files, String fileContentType) {
        String boundary = "----deepmnist" + System.nanoTime();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < files.size(); i++) {
            String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part + "\"; filename=\"digit" + i
                    + ".png\"\r\nContent-Type: " + fileContentType + "\r\n\r\n";
            body.writeBytes(head.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            body.writeBytes(files.get(i));
            body.writeBytes("\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return sendBytes(path, "multipart/form-data; boundary=" + boundary, body.toByteArray());
    }

    private Response exchange(HttpRequest request) {
        if (header.length > 0) {
            request = HttpRequest.newBuilder(request, (n, v) -> true).header(header[0], header[1]).build();
        }
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response get(String path) {
        return send("GET", path, null, null);
    }

    public Response post(String path, String json) {
        return send("POST", path, "application/json", json);
    }

    public JsonNode submit(String json) {
        Response r = post("/jobs", json);
        if (r.status() != 202) {
            throw new AssertionError("POST /jobs answered " + r.status() + ": " + r.body());
        }
        return r.json();
    }

    /** Reads {@code /jobs/{id}/events} until the server ends the stream, or {@code stopWhen} says so. */
    public List<SseEvent> events(String jobId, Long lastEventId, Duration timeout, Predicate<SseEvent> stopWhen) {
        return stream("/jobs/" + jobId + "/events", lastEventId, timeout, stopWhen);
    }

    /** Reads the event stream at {@code path} until the server ends it, or {@code stopWhen} says so. */
    public List<SseEvent> stream(String path, Long lastEventId, Duration timeout, Predicate<SseEvent> stopWhen) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", Long.toString(lastEventId));
        }
        List<SseEvent> events = new ArrayList<>();
        try {
            HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                throw new AssertionError("events answered " + response.statusCode());
            }
            try (Stream<String> lines = response.body()) {
                Long id = null;
                String type = null;
                StringBuilder data = new StringBuilder();
                for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                    String line = it.next();
                    if (line.isEmpty()) {
                        if (id != null) {
                            SseEvent event = new SseEvent(id, type, JSON.readTree(data.toString()));
                            events.add(event);
                            if (stopWhen.test(event)) {
                                return events;
                            }
                        }
                        id = null;
                        type = null;
                        data.setLength(0);
                    } else if (line.startsWith("id:")) {
                        id = Long.parseLong(line.substring(3).trim());
                    } else if (line.startsWith("event:")) {
                        type = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5));
                    }
                }
            }
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException("event stream broke after " + events.size() + " events", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public List<SseEvent> allEvents(String jobId, Long lastEventId) {
        return events(jobId, lastEventId, Duration.ofMinutes(3), e -> false);
    }

    /** Polls the job until {@code condition} holds. */
    public JsonNode awaitJob(String jobId, Predicate<JsonNode> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode job = get("/jobs/" + jobId).json();
        while (!condition.test(job)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job did not reach the expected condition in " + timeout + ": " + job);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            job = get("/jobs/" + jobId).json();
        }
        return job;
    }
}
