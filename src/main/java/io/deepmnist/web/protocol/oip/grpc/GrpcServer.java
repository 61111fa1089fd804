package io.deepmnist.web.protocol.oip.grpc;

import io.deepmnist.config.InferenceProperties;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The gRPC server on {@code mnist.grpc.port}: the inference service, the standard health service (SERVING while
 * the service is up) and server reflection. Messages are limited to {@code mnist.inference.max-request-size}, as
 * REST bodies are. A stop refuses new calls and lets those in flight finish for {@code shutdown-timeout}.
 */
final class GrpcServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GrpcServer.class);

    private final GrpcProperties properties;
    private final InferenceProperties inference;
    private final GrpcInferenceService service;
    private final GrpcCallGuard guard;
    private final ConfigurableEnvironment environment;
    private volatile Server server;
    private volatile HealthStatusManager health;
    private volatile boolean running;

    GrpcServer(GrpcProperties properties, InferenceProperties inference, GrpcInferenceService service, GrpcCallGuard guard,
               ConfigurableEnvironment environment) {
        this.environment = environment;
        this.properties = properties;
        this.inference = inference;
        this.service = service;
        this.guard = guard;
    }

    /** The port it listens on (the chosen one when configured as 0); -1 when off. */
    int port() {
        Server current = server;
        return current == null ? -1 : current.getPort();
    }

    /** A new server each start: a gRPC server does not start again once shut down, and a context may restart. */
    @Override
    public void start() {
        running = true;
        if (!properties.enabled()) {
            log.info("No gRPC: mnist.grpc.port is {}", properties.port());
            return;
        }
        health = new HealthStatusManager();
        server = NettyServerBuilder.forAddress(new InetSocketAddress(properties.port()))
                .maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE, inference.maxRequestSize().toBytes()))
                .addService(ServerInterceptors.intercept(service, guard, new GrpcRouting()))
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .build();
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for gRPC on port " + properties.port() + " (mnist.grpc.port; -1 "
                    + "turns gRPC off): " + e.getMessage(), e);
        }
        // As local.server.port for HTTP: what a client in this process (a test, a benchmark) connects to.
        environment.getPropertySources().addFirst(new MapPropertySource("grpc.ports", Map.of("local.grpc.port", server.getPort())));
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(GrpcInferenceService.SERVICE_NAME, ServingStatus.SERVING);
        log.info("Open Inference Protocol over gRPC on port {}", server.getPort());
    }

    @Override
    public void stop() {
        running = false;
        Server current = server;
        if (current == null) {
            return;
        }
        health.enterTerminalState();
        current.shutdown();
        try {
            if (!current.awaitTermination(properties.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("gRPC calls still running after {} s were cancelled", properties.shutdownTimeout().toSeconds());
                current.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            current.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the web server (and the predictor it shares) does. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
