package io.deepmnist.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/**
 * The JSON calls a benchmark makes around what it measures (listing, submitting, promoting): GET when the body is
 * null, else POST, with the API key when there is one. An answer outside 2xx fails the benchmark with what came back.
 */
final class BenchCalls {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String apiKey;

    /** @param apiKey sent as {@code X-API-Key}; empty for none */
    BenchCalls(String apiKey) {
        this.apiKey = apiKey;
    }

    /** The answer's body. */
    String send(String url, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        if (!apiKey.isEmpty()) {
            request.header("X-API-Key", apiKey);
        }
        request.method(body == null ? "GET" : "POST", body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() < 200 || response.statusCode() >= 300) {
            throw new IllegalStateException((body == null ? "GET " : "POST ") + url + " answered " + response.statusCode()
                    + ": " + response.body());
        }
        return response.body();
    }

    /** The status of a GET, whatever it is. */
    int status(String url) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** {@link #send}, its body read as JSON. */
    JsonNode json(String url, String body) throws Exception {
        return BenchHome.JSON.readTree(send(url, body));
    }
}
