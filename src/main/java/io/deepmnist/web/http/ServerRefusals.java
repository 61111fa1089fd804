package io.deepmnist.web.http;

import io.deepmnist.config.InferenceProperties;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * Requests that Jetty refuses before any servlet sees them (an ambiguous path such as an encoded slash or
 * percent sign, a bad request line, headers over the limit) get a problem detail that says what to change, like
 * every other error of the API, instead of Jetty's HTML page. Under the standard protocols' paths the answer is
 * their {@code {"error": "..."}} object, as {@code ProtocolErrorFilter} writes it for the service's own errors,
 * except where the request line itself could not be read (a {@code %00} in the path): then no path is known.
 */
@Component
class ServerRefusals implements WebServerFactoryCustomizer<JettyServletWebServerFactory> {

    private final ProblemWriter problems;
    private final long drainLimit;

    ServerRefusals(ProblemWriter problems, InferenceProperties inference) {
        this.problems = problems;
        this.drainLimit = inference.maxRequestSize().toBytes();
    }

    /**
     * Jetty's parser refused ambiguous paths itself, and then closed the connection on the unread body: the kernel
     * reset it, and a client still sending (Java's HttpClient, for one) lost the 400. The parser now lets them
     * through, and {@link AmbiguousPathRefusal}, in front of every other handler, refuses what Jetty's default URI
     * compliance refuses, with Jetty's words, after it has read the body.
     */
    @Override
    public void customize(JettyServletWebServerFactory factory) {
        factory.addServerCustomizers(server -> {
            server.setErrorHandler(new ProblemErrorHandler(problems));
            for (Connector connector : server.getConnectors()) {
                HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
                if (http != null) {
                    http.getHttpConfiguration().setUriCompliance(UriCompliance.UNSAFE);
                }
            }
            AmbiguousPathRefusal refusal = new AmbiguousPathRefusal(drainLimit);
            refusal.setHandler(server.getHandler());
            server.setHandler(refusal);
        });
    }

    /** Refuses a path that Jetty's default URI compliance refuses, as the parser did, once the body is read. */
    private static final class AmbiguousPathRefusal extends Handler.Wrapper {

        private final long drainLimit;

        AmbiguousPathRefusal(long drainLimit) {
            this.drainLimit = drainLimit;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String violation = UriCompliance.checkUriCompliance(UriCompliance.DEFAULT, request.getHttpURI(), null);
            if (violation == null) {
                return super.handle(request, response, callback);
            }
            drain(request, () -> Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400, violation));
            return true;
        }

        /**
         * Reads and drops the body, up to {@code mnist.inference.max-request-size}, then answers. A body declared
         * larger than that is not waited for: the connection closes after the answer, as Jetty closes it.
         */
        private void drain(Request request, Runnable answer) {
            if (request.getLength() > drainLimit) {
                answer.run();
                return;
            }
            new Runnable() {
                private long read;

                @Override
                public void run() {
                    while (true) {
                        Content.Chunk chunk = request.read();
                        if (chunk == null) {
                            request.demand(this);
                            return;
                        }
                        read += chunk.remaining();
                        boolean done = chunk.isLast() || Content.Chunk.isFailure(chunk) || read > drainLimit;
                        chunk.release();
                        if (done) {
                            answer.run();
                            return;
                        }
                    }
                }
            }.run();
        }
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

        private final ProblemWriter problems;

        ProblemErrorHandler(ProblemWriter problems) {
            this.problems = problems;
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
            boolean protocol = path != null && RequestPaths.isProtocol(path);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE,
                    protocol ? MediaType.APPLICATION_JSON_VALUE : MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            // Jetty closes the connection after a request line it could not read without saying so, and a client
            // that reuses it gets no answer to its next request. Saying it for every refusal here is the safe side.
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            // No instance: where the request line could not be read, Jetty knows no path (/badMessage).
            byte[] body = protocol ? problems.protocolError(detail(code, message)) : problems.problem(code, detail(code, message), null);
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }
}
