package io.deepmnist.web.http;

import io.deepmnist.config.InferenceProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies over {@code mnist.inference.max-request-size} with 413, whether or not they declare
 * their length. Multipart uploads are limited by Spring's multipart settings instead.
 *
 * <p>Every body is read in full, whatever the method, also where the handler has no use for it (a GET with a
 * body, a 404, a multipart body that cannot be parsed): before the request is handled, or for multipart, which
 * Jetty parses itself, after. Jetty closes a connection that still holds unread body once the answer is sent,
 * without saying so, and the unread bytes make the kernel reset the connection: the client may lose that answer,
 * or send its next request into a closed connection.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 6)
class RequestBodyLimitFilter extends OncePerRequestFilter {

    /** How much of a body over the limit is still read, and thrown away, after the 413, in multiples of the limit. */
    private static final int DISCARD_OVER_LIMIT = 4;

    private final long limit;
    private final ProblemWriter problems;

    RequestBodyLimitFilter(InferenceProperties properties, ProblemWriter problems) {
        this.limit = properties.maxRequestSize().toBytes();
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        boolean body = request.getContentLengthLong() > 0
                || request.getContentLengthLong() < 0 && request.getHeader("Transfer-Encoding") != null;
        return !body;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String type = request.getContentType();
        if (type != null && type.toLowerCase().startsWith("multipart/")) {
            try {
                chain.doFilter(request, response);
            } finally {
                discardRest(request, limit);
            }
            return;
        }
        if (request.getContentLengthLong() > limit) {
            tooLarge(request, response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (body.length > limit) {
            tooLarge(request, response);
            return;
        }
        chain.doFilter(new CachedBodyRequest(request, body), response);
    }

    /** At most {@code bytes}: beyond that the connection is closed, and the client may lose the answer. */
    private static void discardRest(HttpServletRequest request, long bytes) {
        if (request.isAsyncStarted()) {
            return;
        }
        try (InputStream in = request.getInputStream()) {
            byte[] buffer = new byte[16 * 1024];
            long read = 0;
            int n;
            while (read <= bytes && (n = in.read(buffer)) >= 0) {
                read += n;
            }
        } catch (IOException | RuntimeException alreadyFailed) {
            // the body is in a failed state already: Jetty closes the connection, and the answer says so
        }
    }

    private void tooLarge(HttpServletRequest request, HttpServletResponse response) throws IOException {
        problems.write(request, response, HttpStatus.valueOf(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE),
                "The request body is larger than " + limit + " bytes (mnist.inference.max-request-size)",
                Map.of("Connection", "close"));
        response.flushBuffer();
        // Refused unread, the rest of the body would reset the connection, and the client could lose this answer
        // while it is still sending. A client that waits for "100 Continue" sends nothing more: reading would ask
        // it for the body.
        if (!"100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            discardRest(request, DISCARD_OVER_LIMIT * limit);
        }
    }

    private static final class CachedBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous reads only");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
