package io.deepmnist.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/**
 * The JSON calls a benchmark makes around what it measures (listing, submitting, promoting): GET when the body is
 * null, else POST, unless a method is named, with the API key when there is one. An answer outside 2xx fails the
 * benchmark with what came back.
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
        return send(body == null ? "GET" : "POST", url, body);
    }

    /** The answer's body, for any method; {@code body} null sends none. */
    String send(String method, String url, String body) throws Exception {
        HttpResponse<String> response = exchange(method, url, body);
        if (response.statusCode() < 200 || response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** The answer's JSON body, or null where the status is not 2xx (a name another replica does not know yet). */
    JsonNode jsonOrNull(String url, String body) throws Exception {
        HttpResponse<String> response = exchange(body == null ? "GET" : "POST", url, body);
        return response.statusCode() >= 200 && response.statusCode() < 300 ? BenchHome.JSON.readTree(response.body()) : null;
    }

    private HttpResponse<String> exchange(String method, String url, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        if (!apiKey.isEmpty()) {
            request.header("X-API-Key", apiKey);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
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
