package io.deepmnist.web.protocol;

import io.deepmnist.web.http.ProblemWriter;
import io.deepmnist.web.http.RequestPaths;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The standard protocols' errors are {@code {"error": "..."}}, not problem details. Every error answer under
 * {@code /v2} and {@code /v1/models}, whoever wrote it (a controller, the advice, the key or body-limit filter,
 * Spring MVC's 404, 405 and 415), is rewritten here with the same status and the detail as its message, so
 * the protocols share every check and message of our own API.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
class ProtocolErrorFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(ProtocolErrorFilter.class);

    private final JsonMapper json;
    private final ProblemWriter problems;

    ProtocolErrorFilter(JsonMapper json, ProblemWriter problems) {
        this.json = json;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !RequestPaths.isProtocol(RequestPaths.matched(request));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ContentCachingResponseWrapper wrapper = new ContentCachingResponseWrapper(response);
        try {
            chain.doFilter(request, wrapper);
        } catch (IOException | ServletException | RuntimeException e) {
            log.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
            wrapper.resetBuffer();
            wrapper.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            wrapper.getOutputStream().write("{}".getBytes(StandardCharsets.UTF_8));
        }
        if (wrapper.getStatus() >= 400) {
            String error = error(wrapper);
            if (error != null) {
                wrapper.resetBuffer();
                wrapper.setContentType(MediaType.APPLICATION_JSON_VALUE);
                wrapper.getOutputStream().write(problems.protocolError(error));
            }
        }
        wrapper.copyBodyToResponse();
    }

    /**
     * The message for the protocol's error object, or null where the body is the protocol's already: a probe's
     * {@code {"ready": false}} with its 503, an error object.
     */
    private String error(ContentCachingResponseWrapper wrapper) {
        HttpStatus status = HttpStatus.resolve(wrapper.getStatus());
        String fallback = status != null ? status.getReasonPhrase() : "HTTP " + wrapper.getStatus();
        JsonNode body;
        try {
            body = json.readTree(wrapper.getContentAsByteArray());
        } catch (JacksonException | IllegalArgumentException notJson) {
            return fallback;
        }
        if (body == null || !body.isObject()) {
            return fallback;
        }
        if (!body.has("detail") && !body.has("title")) {
            return body.has("error") || !body.isEmpty() ? null : fallback;
        }
        for (String field : new String[] {"detail", "title"}) {
            JsonNode value = body.get(field);
            if (value != null && value.isString() && !value.asString().isBlank()) {
                return value.asString();
            }
        }
        return fallback;
    }
}
