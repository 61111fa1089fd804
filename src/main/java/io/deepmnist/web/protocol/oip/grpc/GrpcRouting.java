package io.deepmnist.web.protocol.oip.grpc;

import io.deepmnist.inference.TrafficRouter.Routed;
import io.deepmnist.web.http.ModelRouting;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Locale;

/**
 * The traffic policy over gRPC, as {@link ModelRouting} does it over HTTP: the sticky header read from the call's
 * metadata, and {@code x-model-id} and {@code x-model-alias} in the answer's headers, which the service fills
 * before its answer sends them.
 */
final class GrpcRouting implements ServerInterceptor {

    private static final Context.Key<Call> CALL = Context.key("deepmnist-routing");
    private static final Metadata.Key<String> MODEL_ID = key(ModelRouting.MODEL_ID);
    private static final Metadata.Key<String> MODEL_ALIAS = key(ModelRouting.MODEL_ALIAS);

    private static final class Call {
        private final Metadata request;
        private volatile String modelId;
        private volatile String alias;

        Call(Metadata request) {
            this.request = request;
        }
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        Call routing = new Call(headers);
        ServerCall<Q, A> telling = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void sendHeaders(Metadata answer) {
                if (routing.modelId != null) {
                    answer.put(MODEL_ID, routing.modelId);
                }
                if (routing.alias != null) {
                    answer.put(MODEL_ALIAS, routing.alias);
                }
                super.sendHeaders(answer);
            }
        };
        return Contexts.interceptCall(Context.current().withValue(CALL, routing), telling, headers, next);
    }

    /** The value of a header of the current call, or null. */
    static String header(String name) {
        Call call = CALL.get();
        return call == null ? null : call.request.get(key(name));
    }

    /** Says, in the current call's answer headers, which model and alias answered. */
    static void tell(String modelId, Routed routed) {
        Call call = CALL.get();
        if (call != null) {
            call.modelId = modelId;
            call.alias = routed.alias();
        }
    }

    private static Metadata.Key<String> key(String header) {
        return Metadata.Key.of(header.toLowerCase(Locale.ROOT), Metadata.ASCII_STRING_MARSHALLER);
    }
}
