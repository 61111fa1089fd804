package io.deepmnist.web;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests that Jetty refuses before any servlet sees them (an ambiguous path such as an encoded slash or
 * percent sign, a bad request line, headers over the limit) get a problem detail that says what to change, like
 * every other error of the API, instead of Jetty's HTML page. Under the standard protocols' paths the answer is
 * their {@code {"error": "..."}} object, as {@link ProtocolErrorFilter} writes it for the service's own errors,
 * except where the request line itself could not be read (a {@code %00} in the path): then no path is known.
 */
@Component
class ServerRefusals implements WebServerFactoryCustomizer<JettyServletWebServerFactory> {

    private final JsonMapper json;

    ServerRefusals(JsonMapper json) {
        this.json = json;
    }

    @Override
    public void customize(JettyServletWebServerFactory factory) {
        factory.addServerCustomizers(server -> server.setErrorHandler(new ProblemErrorHandler(json)));
    }

    private static String detail(int status, String reason) {
        String what = reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason;
        return switch (status) {
            case 400 -> what + ": the web server refused the request before the service read it. Check the request "
                    + "line and headers; encode each path segment once, without an encoded '/', '\\', '%' or control "
                    + "character.";
            case 414, 431 -> what + ": the request line and headers may take at most server.max-http-request-header-size "
                    + "(8 KB unless configured); send large data in the body.";
            default -> what + ": the web server refused the request before the service read it.";
        };
    }

    private static final class ProblemErrorHandler extends ErrorHandler {

        private final JsonMapper json;

        ProblemErrorHandler(JsonMapper json) {
            this.json = json;
        }

        /** Every method gets a body; Jetty writes one only for GET, POST and HEAD. */
        @Override
        public boolean errorPageForMethod(String method) {
            return true;
        }

        /** Whatever the Accept header says, as the service's own errors: Jetty would answer an empty one with no body. */
        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                        Callback callback) {
            String path = request.getHttpURI().getPath();
            boolean protocol = path != null && ProtocolErrorFilter.isProtocolPath(path);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE,
                    protocol ? MediaType.APPLICATION_JSON_VALUE : MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            // Jetty closes the connection after a request line it could not read without saying so, and a client
            // that reuses it gets no answer to its next request. Saying it for every refusal here is the safe side.
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            Object body = protocol ? Map.of("error", detail(code, message)) : problem(code, message);
            response.write(true, ByteBuffer.wrap(json.writeValueAsBytes(body)), callback);
        }

        /** No {@code instance}: where the request line could not be read, Jetty knows no path ({@code /badMessage}). */
        private static Map<String, Object> problem(int status, String reason) {
            Map<String, Object> problem = new LinkedHashMap<>();
            problem.put("type", "about:blank");
            problem.put("title", HttpStatus.getMessage(status));
            problem.put("status", status);
            problem.put("detail", detail(status, reason));
            return problem;
        }
    }
}
