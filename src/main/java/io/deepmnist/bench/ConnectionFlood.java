package io.deepmnist.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code count} GET requests opened at once from one thread with non-blocking sockets (no thread per connection,
 * so the client adds little to the process it shares with the service). Each connection is read until its status
 * line; refused ones are closed, opened streams are held for a second and then closed together.
 */
final class ConnectionFlood {

    record Outcome(int opened, int refused, int other) {
    }

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration HOLD = Duration.ofSeconds(1);

    private final InetSocketAddress address;
    private final ByteBuffer request;
    private final int count;

    ConnectionFlood(String base, String path, int count) {
        URI uri = URI.create(base);
        this.address = new InetSocketAddress(uri.getHost(), uri.getPort());
        this.request = ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
        this.count = count;
    }

    Outcome run() throws IOException, InterruptedException {
        int opened = 0;
        int refused = 0;
        int other = 0;
        List<SocketChannel> streams = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < count; i++) {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.connect(address);
                channel.register(selector, SelectionKey.OP_CONNECT, new Exchange(request.duplicate()));
            }
            int pending = count;
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (pending > 0 && System.nanoTime() < deadline) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    String status = step(key);
                    if (status == null) {
                        continue;
                    }
                    pending--;
                    key.cancel();
                    if (status.equals("200")) {
                        opened++;
                        streams.add((SocketChannel) key.channel());
                    } else {
                        if (status.equals("429")) {
                            refused++;
                        } else {
                            other++;
                        }
                        key.channel().close();
                    }
                }
                selector.selectedKeys().clear();
            }
            other += pending;
            for (SelectionKey key : selector.keys()) {
                if (key.isValid()) { // still waiting for its status line; an opened stream's key is cancelled, not closed
                    key.channel().close();
                }
            }
        }
        Thread.sleep(HOLD.toMillis());
        for (SocketChannel stream : streams) {
            stream.close();
        }
        return new Outcome(opened, refused, other);
    }

    /** Moves one connection on; its status code once the status line is in, "failed" when it broke, else null. */
    private static String step(SelectionKey key) {
        SocketChannel channel = (SocketChannel) key.channel();
        Exchange exchange = (Exchange) key.attachment();
        try {
            if (key.isConnectable() && channel.finishConnect()) {
                key.interestOps(SelectionKey.OP_WRITE);
            }
            if (key.isValid() && key.isWritable()) {
                channel.write(exchange.request);
                if (!exchange.request.hasRemaining()) {
                    key.interestOps(SelectionKey.OP_READ);
                }
            }
            if (key.isValid() && key.isReadable()) {
                if (channel.read(exchange.answer) < 0) {
                    return "failed";
                }
                String head = new String(exchange.answer.array(), 0, exchange.answer.position(), StandardCharsets.US_ASCII);
                if (head.length() >= 12) {
                    return head.substring(9, 12);
                }
            }
            return null;
        } catch (IOException e) {
            return "failed";
        }
    }

    private static final class Exchange {
        final ByteBuffer request;
        final ByteBuffer answer = ByteBuffer.allocate(64);

        Exchange(ByteBuffer request) {
            this.request = request;
        }
    }
}
