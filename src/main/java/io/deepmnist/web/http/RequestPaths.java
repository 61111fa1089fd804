package io.deepmnist.web.http;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;

/** Paths as the filters must read them. */
public final class RequestPaths {

    private RequestPaths() {
    }

    /**
     * The path as Spring MVC matches it against the routes: each segment decoded, without its path parameters,
     * and with no dot segment resolved ({@code /jobs;x=/events} is {@code /jobs/events}). {@code getRequestURI()}
     * is the raw text, and the servlet path resolves dot segments that Spring MVC takes as names.
     */
    public static String matched(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        if (uri.indexOf(';') < 0 && uri.indexOf('%') < 0 && context.isEmpty()) {
            return uri; // nothing to decode or drop: the common case, on every request, costs no parse
        }
        PathContainer path = RequestPath.parse(uri, context).pathWithinApplication();
        StringBuilder matched = new StringBuilder();
        for (PathContainer.Element element : path.elements()) {
            matched.append(element instanceof PathContainer.PathSegment segment ? segment.valueToMatch() : element.value());
        }
        return matched.toString();
    }

    /** Whether a matched path is one of the standard protocols' (OIP's /v2, TF Serving's /v1/models), which answer errors in their own shape. */
    public static boolean isProtocol(String path) {
        return path.equals("/v2") || path.startsWith("/v2/") || path.startsWith("/v1/models/") || path.equals("/v1/models");
    }
}
