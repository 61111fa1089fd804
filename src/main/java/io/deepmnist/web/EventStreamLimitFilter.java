package io.deepmnist.web;

import io.deepmnist.jobs.EventHub;
import io.deepmnist.jobs.TooManySubscribersException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses an event stream over the subscriber limits before Spring MVC dispatches it. A crowd of clients that
 * reconnect at once is then refused for a few microseconds each instead of a dispatch, an exception and its
 * resolution, so the CPU stays free for the requests that are served (health probes among them). The exact
 * check stays in {@link EventHub#subscribe}; this one only refuses early what is over a limit already.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class EventStreamLimitFilter extends OncePerRequestFilter {

    private static final Pattern EVENTS = Pattern.compile("/jobs/([^/]+)/events");

    private final ObjectProvider<EventHub> hub;
    private final JsonMapper json;

    /** The hub is optional: a web slice without the jobs layer has no event streams to refuse. */
    EventStreamLimitFilter(ObjectProvider<EventHub> hub, JsonMapper json) {
        this.hub = hub;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"GET".equals(request.getMethod()) || !request.getRequestURI().endsWith("/events");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Matcher m = EVENTS.matcher(request.getRequestURI());
        EventHub events = hub.getIfAvailable();
        if (m.matches() && events != null) {
            try {
                events.checkRoom(m.group(1));
            } catch (TooManySubscribersException e) {
                refuse(request, response, e);
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, TooManySubscribersException e)
            throws IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, e.getMessage());
        problem.setInstance(URI.create(request.getRequestURI()));
        response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfter().toSeconds())));
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
