package io.deepmnist.web.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one writer of problem details outside Spring MVC: the filters and the API-key check write through it straight
 * to the servlet response, and {@link ServerRefusals} takes its JSON for what Jetty refuses before any servlet. It
 * writes what {@link ProblemDetailsAdvice} answers through Spring MVC: the same {@link ProblemDetail}, the same
 * mapper. It also writes the standard protocols' error object, for the protocols' error filter and for Jetty.
 */
@Component
public class ProblemWriter {

    private final JsonMapper json;

    ProblemWriter(JsonMapper json) {
        this.json = json;
    }

    void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail,
               Map<String, String> headers) throws IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setInstance(instance(request));
        response.setStatus(status.value());
        headers.forEach(response::setHeader);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }

    /** The JSON of a problem detail without a request to hand; {@code instance} may be null. */
    byte[] problem(int status, String detail, URI instance) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), detail);
        problem.setInstance(instance);
        return json.writeValueAsBytes(problem);
    }

    /** The standard protocols' error object, {@code {"error": "..."}}: for their filter, and for what Jetty refuses. */
    public byte[] protocolError(String detail) {
        return json.writeValueAsBytes(Map.of("error", detail));
    }

    /** The request's path, where it is a valid URI reference; a path Jetty let through may still not be one. */
    private static URI instance(HttpServletRequest request) {
        try {
            return new URI(request.getRequestURI());
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
