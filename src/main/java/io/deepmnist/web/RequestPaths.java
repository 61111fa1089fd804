package io.deepmnist.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;

/** Paths as the filters must read them. */
final class RequestPaths {

    private RequestPaths() {
    }

    /**
     * The path as Spring MVC matches it against the routes: each segment decoded, without its path parameters,
     * and with no dot segment resolved ({@code /jobs;x=/events} is {@code /jobs/events}). {@code getRequestURI()}
     * is the raw text, and the servlet path resolves dot segments that Spring MVC takes as names.
     */
    static String matched(HttpServletRequest request) {
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
}
