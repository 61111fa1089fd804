package io.deepmnist.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks {@code /actuator/health/liveness} every 20 ms on a new connection, as the kubelet does, and keeps each
 * answer's latency under the phase it started in. A probe that fails or answers other than 200 counts as not ok,
 * with its time up to the 5 s it may wait.
 */
final class LivenessProber {

    /**
     * @param slowestConnectMs of the slowest probe, the part spent connecting (the kernel's handshake and accept queue)
     * @param slowestAt        when the slowest probe started, to find it in a flight recording or a safepoint log
     */
    record Phase(String name, double[] latenciesMs, long notOk, double slowestConnectMs, Instant slowestAt) {
    }

    private static final long PERIOD_MS = 20;
    private static final int TIMEOUT_MS = 5_000;

    private final int port;
    private final byte[] request;
    private final Map<String, List<Double>> latencies = new ConcurrentHashMap<>();
    private final Map<String, Long> notOk = new ConcurrentHashMap<>();
    private final Map<String, double[]> slowest = new ConcurrentHashMap<>();
    private final List<String> order = new ArrayList<>();
    private volatile String phase;
    private volatile boolean running;
    private Thread thread;

    LivenessProber(int managementPort) {
        this.port = managementPort;
        this.request = ("GET /actuator/health/liveness HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    void start(String firstPhase) {
        phase(firstPhase);
        running = true;
        thread = new Thread(this::loop, "liveness-prober");
        thread.setDaemon(true);
        thread.start();
    }

    synchronized void phase(String name) {
        order.add(name);
        latencies.put(name, Collections.synchronizedList(new ArrayList<>()));
        phase = name;
    }

    /** Stops probing and returns the phases in order. */
    synchronized List<Phase> stop() throws InterruptedException {
        running = false;
        thread.join();
        List<Phase> phases = new ArrayList<>();
        for (String name : order) {
            double[] ms = latencies.get(name).stream().mapToDouble(Double::doubleValue).toArray();
            double[] slow = slowest.getOrDefault(name, new double[3]);
            phases.add(new Phase(name, ms, notOk.getOrDefault(name, 0L), slow[1], Instant.ofEpochMilli((long) slow[2])));
        }
        return phases;
    }

    private void loop() {
        while (running) {
            String current = phase;
            long startedAt = System.currentTimeMillis();
            long start = System.nanoTime();
            long[] connected = new long[1];
            boolean ok = probe(connected);
            double ms = (System.nanoTime() - start) / 1e6;
            latencies.get(current).add(ms);
            double connectMs = connected[0] == 0 ? ms : (connected[0] - start) / 1e6;
            slowest.merge(current, new double[] {ms, connectMs, startedAt}, (a, b) -> b[0] > a[0] ? b : a);
            if (!ok) {
                notOk.merge(current, 1L, Long::sum);
            }
            try {
                Thread.sleep(Math.max(0, PERIOD_MS - (long) ms));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private boolean probe(long[] connectedAt) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
            connectedAt[0] = System.nanoTime();
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = in.readAllBytes();
            return new String(answer, 0, Math.min(answer.length, 16), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }
}
