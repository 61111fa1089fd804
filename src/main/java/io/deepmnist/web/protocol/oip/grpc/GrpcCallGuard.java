package io.deepmnist.web.protocol.oip.grpc;

import io.deepmnist.web.http.ApiKey;
import io.deepmnist.web.http.SecurityProperties;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What every gRPC call passes before the service: the API key for inference when predictions need one
 * ({@code authorization: Bearer …} or {@code x-api-key}), UNAVAILABLE while the service warms up or shuts down,
 * and a timer per method and status, tagged {@code protocol=grpc}. Metadata calls need no key, as REST's reads.
 */
final class GrpcCallGuard implements ServerInterceptor {

    static final String INFER = "inference.GRPCInferenceService/ModelInfer";
    private static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final SecurityProperties security;
    private final ApiKey key;
    private final BooleanSupplier serving;
    private final MeterRegistry meters;
    private final Map<List<String>, Timer> timers = new ConcurrentHashMap<>();

    /** @param serving false while the service warms up or shuts down */
    GrpcCallGuard(SecurityProperties security, BooleanSupplier serving, MeterRegistry meters) {
        this.security = security;
        this.key = new ApiKey(security);
        this.serving = serving;
        this.meters = meters;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        String bare = call.getMethodDescriptor().getBareMethodName();
        long start = System.nanoTime();
        ServerCall<Q, A> timed = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                timer(bare == null ? "unknown" : bare, status.getCode()).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                super.close(status, trailers);
            }
        };
        if (INFER.equals(method)) {
            if (key.isSet() && security.predictionsNeedKey()) {
                ApiKey.Presented presented = key.check(headers.get(API_KEY), headers.get(AUTHORIZATION));
                if (presented != ApiKey.Presented.RIGHT) {
                    return refuse(timed, Status.UNAUTHENTICATED.withDescription(ApiKey.refusal(presented,
                            "metadata 'authorization: Bearer <key>' or 'x-api-key: <key>'")));
                }
            }
            if (!serving.getAsBoolean()) {
                return refuse(timed, Status.UNAVAILABLE.withDescription("the service is warming up or shutting down; "
                        + "try again in a moment (ServerReady says when it is ready)"));
            }
        }
        return next.startCall(timed, headers);
    }

    /** Built once per method and status: looking a timer up on every call costs, as for the predictions' own. */
    private Timer timer(String method, Status.Code code) {
        return timers.computeIfAbsent(List.of(method, code.name()), key -> Timer.builder("deepmnist.grpc.calls")
                .description("gRPC calls of the Open Inference Protocol")
                .tag("protocol", "grpc").tag("method", method).tag("status", code.name()).register(meters));
    }

    private static <Q, A> ServerCall.Listener<Q> refuse(ServerCall<Q, A> call, Status status) {
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() {
        };
    }
}
