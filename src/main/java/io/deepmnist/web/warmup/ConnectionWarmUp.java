package io.deepmnist.web.warmup;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The first part of the start-up warm-up: {@value #REQUESTS} requests that the service refuses at once, each on a
 * connection of its own, {@link PredictionWarmUp#CLIENTS} at a time. A crowd of clients that reconnect at once
 * (event streams after a network blip) takes this path: accept, parse, a filter's refusal with a problem detail,
 * close. Cold, the first such flood of 2,000 connections held the management port's liveness answer for up to
 * 1.3 s (on 2 cores, while a CNN trained); with the path compiled, later floods held it 25-125 ms. The request is a
 * path with a parameter, which the first filter refuses with 400 before any route, key check or store.
 */
final class ConnectionWarmUp {

    static final int REQUESTS = 6_000;
    static final String PATH = "/jobs;warm-up/events";

    private final String host;
    private final int port;
    private final byte[] request;
    private final AtomicInteger sent = new AtomicInteger();

    ConnectionWarmUp(String host, int port) {
        this.host = host;
        this.port = port;
        this.request = ("GET " + PATH + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** How many refused requests were answered so far. */
    int sent() {
        return sent.get();
    }

    /**
     * Sends the requests from {@code clients} threads until all are answered, the deadline passes or
     * {@code stopping} says so.
     *
     * @return what went wrong, or null
     */
    String run(int clients, long deadline, BooleanSupplier stopping) throws InterruptedException {
        String[] failures = new String[clients];
        AtomicInteger next = new AtomicInteger();
        List<Thread> senders = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int index = c;
            Thread sender = new Thread(() -> {
                while (next.getAndIncrement() < REQUESTS && failures[index] == null && !stopping.getAsBoolean()
                        && System.nanoTime() < deadline) {
                    failures[index] = refuseOne();
                }
            }, "connection-warm-up-" + (c + 1));
            sender.setDaemon(true);
            sender.start();
            senders.add(sender);
        }
        for (Thread sender : senders) {
            sender.join();
        }
        for (String failure : failures) {
            if (failure != null) {
                return stopping.getAsBoolean() ? null : failure;
            }
        }
        return null;
    }

    private String refuseOne() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            WarmUpResponse response = WarmUpResponse.read(in);
            if (response.status() != 400) {
                return "GET " + PATH + " answered " + response.status() + " instead of 400: " + response.body();
            }
            sent.incrementAndGet();
            return null;
        } catch (IOException e) {
            return "GET " + PATH + " failed: " + e.getMessage();
        }
    }
}
