package io.deepmnist.web.protocol.oip.grpc;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code mnist.grpc.*}: the Open Inference Protocol over gRPC.
 *
 * @param port            8001 as KServe and Triton use; 0 for any free port; -1 turns gRPC off
 * @param shutdownTimeout how long a stop waits for calls in flight before it cancels them
 */
@ConfigurationProperties("mnist.grpc")
public record GrpcProperties(@DefaultValue("8001") int port, @DefaultValue("30s") Duration shutdownTimeout) {

    public boolean enabled() {
        return port >= 0;
    }
}
