package io.deepmnist.web.http;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/**
 * The API key of {@code mnist.security.api-key}, and what a request presents: {@code Authorization: Bearer <key>}
 * or {@code X-API-Key: <key>}. Keys are compared through their hashes, in constant time.
 */
public final class ApiKey {

    /** The header of a 401 for a missing or wrong key. */
    static final Map<String, String> CHALLENGE = Map.of("WWW-Authenticate", "Bearer");

    public enum Presented { NONE, WRONG, RIGHT }

    private final byte[] expected;

    public ApiKey(SecurityProperties properties) {
        this.expected = properties.enabled() ? sha256(properties.apiKey()) : null;
    }

    /** The detail of a 401 for what the request presented. */
    public static String refusal(Presented presented) {
        return refusal(presented, "'Authorization: Bearer <key>' or 'X-API-Key: <key>'");
    }

    /** @param how where this protocol carries the key, such as gRPC's metadata */
    public static String refusal(Presented presented, String how) {
        return presented == Presented.NONE ? "This request needs the API key: send " + how : "The API key is wrong";
    }

    /** Whether a key is set at all; without one, every request is authorised. */
    public boolean isSet() {
        return expected != null;
    }

    Presented check(HttpServletRequest request) {
        return check(request.getHeader("X-API-Key"), request.getHeader("Authorization"));
    }

    /** What the two places a key may come in (headers, or gRPC metadata of the same names) present. */
    public Presented check(String xApiKey, String authorization) {
        String presented = presented(xApiKey, authorization);
        if (presented == null) {
            return Presented.NONE;
        }
        return expected != null && MessageDigest.isEqual(expected, sha256(presented)) ? Presented.RIGHT : Presented.WRONG;
    }

    private static String presented(String header, String authorization) {
        if (header != null && !header.isBlank()) {
            return header.strip();
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).strip();
        }
        return null;
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
