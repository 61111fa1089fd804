package io.deepmnist.web.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Actuator with an API key set: health answers its status to anyone (probes need no key) and its details only
 * with the key ({@code show-details=when-authorized}, which shows them to a request with a principal); metrics,
 * info and Prometheus need the key. Without a key set every request is authorised, as the API is open then too.
 * It sees Actuator's paths ({@code /actuator}, on the management port or on the API port where they share one) and
 * the probes that the API port answers, {@code /livez} and {@code /readyz}.
 */
final class ManagementAccessFilter extends OncePerRequestFilter {

    private static final Principal OPERATOR = () -> "api-key";

    private final ApiKey key;
    private final ProblemWriter problems;

    ManagementAccessFilter(ApiKey key, ProblemWriter problems) {
        this.key = key;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = RequestPaths.matched(request);
        return !isProbe(path) && !path.equals("/actuator") && !path.startsWith("/actuator/");
    }

    private static boolean isProbe(String path) {
        return path.equals("/livez") || path.equals("/readyz") || path.equals("/actuator/health")
                || path.startsWith("/actuator/health/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ApiKey.Presented presented = key.isSet() ? key.check(request) : ApiKey.Presented.RIGHT;
        if (presented == ApiKey.Presented.RIGHT) {
            chain.doFilter(new HttpServletRequestWrapper(request) {
                @Override
                public Principal getUserPrincipal() {
                    return OPERATOR;
                }
            }, response);
            return;
        }
        if (isProbe(RequestPaths.matched(request))) {
            chain.doFilter(request, response); // the status alone
            return;
        }
        problems.write(request, response, HttpStatus.UNAUTHORIZED, ApiKey.refusal(presented), ApiKey.CHALLENGE);
    }
}
