package io.deepmnist.web.http;

import io.deepmnist.jobs.EventHub;
import io.deepmnist.jobs.TooManySubscribersException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

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
    private final ProblemWriter problems;

    /** The hub is optional: a web slice without the jobs layer has no event streams to refuse. */
    EventStreamLimitFilter(ObjectProvider<EventHub> hub, ProblemWriter problems) {
        this.hub = hub;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"GET".equals(request.getMethod()) || !RequestPaths.matched(request).endsWith("/events");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Matcher m = EVENTS.matcher(RequestPaths.matched(request));
        EventHub events = hub.getIfAvailable();
        if (m.matches() && events != null) {
            try {
                events.checkRoom(m.group(1));
            } catch (TooManySubscribersException e) {
                problems.write(request, response, HttpStatus.TOO_MANY_REQUESTS, e.getMessage(),
                        Map.of(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfter().toSeconds()))));
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
