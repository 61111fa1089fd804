package io.deepmnist.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * With {@code mnist.security.api-key} set, every mutating request (submit, cancel, resume, delete, promote)
 * must carry the key as {@code Authorization: Bearer <key>} or {@code X-API-Key}. Reads and predictions stay
 * open unless {@code protect-predict} is set. Keys are compared through their hashes, in constant time.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class ApiKeyFilter extends OncePerRequestFilter {

    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final SecurityProperties properties;
    private final byte[] expected;

    ApiKeyFilter(SecurityProperties properties) {
        this.properties = properties;
        this.expected = properties.enabled() ? sha256(properties.apiKey()) : null;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        if (!properties.enabled() || !MUTATING.contains(request.getMethod())) {
            return true;
        }
        return isPrediction(request.getRequestURI()) && !properties.predictionsNeedKey();
    }

    /** A prediction, in our API or a standard protocol's (a request path or an OpenAPI path template). */
    static boolean isPrediction(String path) {
        return path.endsWith("/predict") || path.endsWith(":predict") || path.startsWith("/v2/") && path.endsWith("/infer");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = presentedKey(request);
        if (presented != null && MessageDigest.isEqual(expected, sha256(presented))) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader("WWW-Authenticate", "Bearer");
        response.setContentType("application/problem+json");
        String detail = presented == null
                ? "This request changes state and needs the API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'"
                : "The API key is wrong";
        response.getOutputStream().write(("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\""
                + detail + "\",\"instance\":\"" + request.getRequestURI().replace("\"", "") + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static String presentedKey(HttpServletRequest request) {
        String header = request.getHeader("X-API-Key");
        if (header != null && !header.isBlank()) {
            return header.strip();
        }
        String authorization = request.getHeader("Authorization");
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
