package io.deepmnist.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.deepmnist.dataset.MnistFile;
import io.deepmnist.engine.MnistModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import tools.jackson.databind.JsonNode;

/**
 * The plain predictor a user could write instead of the service, for {@code bench predict-compare}: the JDK's
 * {@code HttpServer} with 32 threads and TCP_NODELAY, Jackson, and one session run per request on a SavedModel the service
 * exported, with TensorFlow's defaults. {@code POST /predict {"pixels":[784 values]}} (in [0,1] or 0-255) answers
 * {@code {"digit":d,"probabilities":[10 values]}}. It runs in a JVM of its own: {@code bench plain-predictor}.
 */
final class PlainPredictor implements AutoCloseable {

    static final String COMMAND = "plain-predictor";
    private static final String LISTENING = "plain-predictor listening on ";

    private final Process process;
    private final int port;

    private PlainPredictor(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the child JVM on {@code model} and waits until it listens. */
    static PlainPredictor start(Path model) throws IOException, InterruptedException {
        // TCP_NODELAY, as any server sets it: without, small answers wait for the client's delayed ACK (40 ms).
        Process process = new ProcessBuilder(ChildJvm.command(List.of("-Dsun.net.httpserver.nodelay=true"), COMMAND, "--model=" + model))
                .redirectErrorStream(true).start();
        BufferedReader lines = process.inputReader();
        StringBuilder output = new StringBuilder();
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.startsWith(LISTENING)) {
                Thread drain = new Thread(() -> lines.lines().forEach(l -> { }), "plain-predictor-output");
                drain.setDaemon(true);
                drain.start();
                return new PlainPredictor(process, Integer.parseInt(line.substring(LISTENING.length()).strip()));
            }
            output.append(line).append('\n');
        }
        process.waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException("the plain predictor ended before it listened (exit "
                + (process.isAlive() ? "none yet" : process.exitValue()) + "):\n" + output);
    }

    String url() {
        return "http://127.0.0.1:" + port + "/predict";
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** In the child: serves until the parent ends the process. */
    static int serve(Path model) throws IOException, InterruptedException {
        SavedModelBundle bundle = SavedModelBundle.load(model.toString(), MnistModel.SERVING_TAG);
        SessionFunction serving = bundle.function(MnistModel.SERVING_SIGNATURE);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.setExecutor(Executors.newFixedThreadPool(32));
        server.createContext("/predict", exchange -> {
            try (exchange) {
                answer(exchange, serving);
            }
        });
        server.start();
        System.out.println(LISTENING + server.getAddress().getPort());
        new java.util.concurrent.CountDownLatch(1).await();
        return 0;
    }

    private static void answer(HttpExchange exchange, SessionFunction serving) throws IOException {
        float[] pixels = new float[MnistFile.PIXELS];
        try {
            JsonNode values = BenchHome.JSON.readTree(exchange.getRequestBody()).get("pixels");
            boolean bytes = false;
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = values.get(i).floatValue();
                bytes |= pixels[i] > 1;
            }
            if (bytes) {
                for (int i = 0; i < pixels.length; i++) {
                    pixels[i] /= 255f;
                }
            }
        } catch (RuntimeException e) {
            send(exchange, 400, "{\"error\":\"send {\\\"pixels\\\":[784 numbers]}\"}");
            return;
        }
        float[] probabilities = new float[MnistFile.CLASSES];
        try (TFloat32 images = TFloat32.tensorOf(Shape.of(1, MnistFile.PIXELS), DataBuffers.of(pixels, true, false));
             Result result = serving.call(Map.of(MnistModel.IMAGES, images))) {
            ((TFloat32) result.get(MnistModel.PROBABILITIES).orElseThrow()).copyTo(DataBuffers.of(probabilities, false, false));
        }
        int digit = 0;
        StringBuilder json = new StringBuilder("{\"probabilities\":[");
        for (int c = 0; c < probabilities.length; c++) {
            digit = probabilities[c] > probabilities[digit] ? c : digit;
            json.append(c == 0 ? "" : ",").append(probabilities[c]);
        }
        send(exchange, 200, json.append("],\"digit\":").append(digit).append('}').toString());
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
