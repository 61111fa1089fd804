package io.deepmnist.web.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * With {@code mnist.security.api-key} set, every mutating request (submit, cancel, resume, delete, promote) must
 * carry the key (see {@link ApiKey}). Reads and predictions stay open unless {@code protect-predict} is set.
 *
 * <p>The check runs on the handler Spring MVC matched, after it has parsed the path: a path that only looks like a
 * prediction ({@code /jobs;x=:predict}) is the route that it reaches. A mutating request whose handler is not a
 * {@link PredictionEndpoint}, static resources and unknown paths included, needs the key.
 */
public final class ApiKeyInterceptor implements HandlerInterceptor {

    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final SecurityProperties properties;
    private final ApiKey key;
    private final ProblemWriter problems;

    ApiKeyInterceptor(SecurityProperties properties, ProblemWriter problems) {
        this.properties = properties;
        this.key = new ApiKey(properties);
        this.problems = problems;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws IOException {
        if (!key.isSet() || !MUTATING.contains(request.getMethod())
                || isPrediction(handler) && !properties.predictionsNeedKey()) {
            return true;
        }
        ApiKey.Presented presented = key.check(request);
        if (presented == ApiKey.Presented.RIGHT) {
            return true;
        }
        problems.write(request, response, HttpStatus.UNAUTHORIZED, ApiKey.refusal(presented), ApiKey.CHALLENGE);
        return false;
    }

    public static boolean isPrediction(Object handler) {
        return handler instanceof HandlerMethod method && (method.hasMethodAnnotation(PredictionEndpoint.class)
                || method.getBeanType().isAnnotationPresent(PredictionEndpoint.class));
    }

    /**
     * Whether an OpenAPI path template is a prediction route, for the documentation's security requirements;
     * {@code ApiKeyBypassTests} checks that it agrees with the handlers' {@link PredictionEndpoint}.
     */
    public static boolean isPredictionTemplate(String path) {
        return path.endsWith("/predict") || path.endsWith(":predict") || path.startsWith("/v2/") && path.endsWith("/infer")
                || path.startsWith("/predictions/") && path.endsWith("/feedback");
    }
}
