package io.deepmnist.web.warmup;

import io.deepmnist.web.http.ModelRouting;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import org.springframework.http.MediaType;

/**
 * Sends the warm-up's predictions: JSON pixels, and a PNG every {@value #PNG_EVERY}th request, over one
 * keep-alive connection after another. Written and read by hand rather than with {@code java.net.http}: the JDK
 * client's own code took much of the JIT's time and the CPU that the warm-up is for (3,300-3,600 predictions
 * in 10 s against about 5,000 with this one, on the 2-core build machine).
 */
final class WarmUpClient {

    private static final int PNG_EVERY = 8;

    private final URI predict;
    private final byte[] json;
    private final byte[] png;

    /** @param apiKey sent as {@code X-API-Key}; null: none */
    WarmUpClient(URI predict, String apiKey) {
        this.predict = predict;
        this.json = request(MediaType.APPLICATION_JSON_VALUE, WarmUpSamples.json(), apiKey);
        this.png = request(MediaType.IMAGE_PNG_VALUE, WarmUpSamples.png(), apiKey);
    }

    /**
     * Sends until the deadline passes or {@code stopping} says so; {@code answered} runs after each 200.
     *
     * @return what went wrong, or null
     */
    String sendUntil(long deadline, int first, BooleanSupplier stopping, Runnable answered) {
        int i = first;
        while (!stopping.getAsBoolean() && System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(predict.getHost(), predict.getPort()), 5_000);
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(30_000);
                OutputStream out = socket.getOutputStream();
                InputStream in = new BufferedInputStream(socket.getInputStream());
                boolean open = true;
                while (open && !stopping.getAsBoolean() && System.nanoTime() < deadline) {
                    out.write(i++ % PNG_EVERY == PNG_EVERY - 1 ? png : json);
                    WarmUpResponse response = WarmUpResponse.read(in);
                    if (response.status() != 200) {
                        return "POST " + predict + " answered " + response.status() + ": " + response.body();
                    }
                    answered.run();
                    open = response.keepAlive();
                }
            } catch (IOException e) {
                return stopping.getAsBoolean() ? null : "POST " + predict + " failed: " + e.getMessage();
            }
        }
        return null;
    }

    private byte[] request(String type, byte[] body, String apiKey) {
        StringBuilder head = new StringBuilder("POST ").append(predict.getPath()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(predict.getHost()).append(':').append(predict.getPort()).append("\r\n")
                .append("Content-Type: ").append(type).append("\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n")
                .append(ModelRouting.WARM_UP).append(": true\r\n"); // not a user's prediction: not logged
        if (apiKey != null) {
            head.append("X-API-Key: ").append(apiKey).append("\r\n");
        }
        byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = Arrays.copyOf(headBytes, headBytes.length + body.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        return request;
    }
}
