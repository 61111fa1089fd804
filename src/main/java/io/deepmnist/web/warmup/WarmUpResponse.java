package io.deepmnist.web.warmup;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An HTTP/1.1 response to a warm-up request, read from a keep-alive connection: the status, the body, and
 * whether the server keeps the connection open. The service frames its answers with Content-Length; a response
 * without one is refused rather than guessed at.
 */
record WarmUpResponse(int status, String body, boolean keepAlive) {

    private static final int MAX_HEADER_LINE = 8192;
    private static final int MAX_BODY = 1 << 20;

    static WarmUpResponse read(InputStream in) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.1 response: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        int length = -1;
        boolean keepAlive = true;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            String name = colon < 0 ? header : header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = colon < 0 ? "" : header.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                length = Integer.parseInt(value);
            } else if (name.equals("connection") && value.equalsIgnoreCase("close")) {
                keepAlive = false;
            }
        }
        if (length < 0 || length > MAX_BODY) {
            throw new IOException("a response without a usable Content-Length (" + length + "), status " + status);
        }
        return new WarmUpResponse(status, new String(in.readNBytes(length), StandardCharsets.UTF_8), keepAlive);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("the connection closed in the middle of a response");
            }
            if (b != '\r') {
                line.write(b);
            }
            if (line.size() > MAX_HEADER_LINE) {
                throw new IOException("a header line over " + MAX_HEADER_LINE + " bytes");
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
