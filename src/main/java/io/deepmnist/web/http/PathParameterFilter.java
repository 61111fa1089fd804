package io.deepmnist.web.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a path with parameters ({@code /jobs;x=1}) with 400. No route takes them, and Spring MVC drops them
 * before it matches, so such a path reaches the route without them while its text says something else: the same
 * request as {@code /jobs} that a check on the text would take for another. Runs after {@link RequestBodyLimitFilter}
 * has read the body, so that the refusal reaches the client.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 7)
class PathParameterFilter extends OncePerRequestFilter {

    private final ProblemWriter problems;

    PathParameterFilter(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getRequestURI().indexOf(';') < 0;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        problems.write(request, response, HttpStatus.BAD_REQUEST, "No route of this service takes path parameters: "
                + "remove each ';' and what follows it up to the next '/' from the path, or encode a ';' that is part of "
                + "a name as %3B", Map.of());
    }
}
