package io.deepmnist.web.protocol.oip.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.deepmnist.inference.Prediction;
import io.deepmnist.inference.PredictionProtocol;
import io.deepmnist.inference.PredictionRejectedException;
import io.deepmnist.inference.Predictor;
import io.deepmnist.inference.TrafficRouter;
import io.deepmnist.web.http.SecurityProperties;
import io.deepmnist.web.protocol.ServedModels;
import io.deepmnist.web.protocol.oip.grpc.v2.GRPCInferenceServiceGrpc;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.InferTensorContents;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.ModelInferRequest;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.ServerLiveRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;

/**
 * The statuses that need a state hard to reach in a running service (a full batch queue, a warm-up, a key),
 * through the real service and guard on an in-process channel, with the registry and predictor stubbed.
 */
class GrpcCallGuardTests {

    private static final String KEY = "grpc-test-key";

    private final Predictor predictor = mock(Predictor.class);
    private final ServedModels models = mock(ServedModels.class);
    private final AtomicBoolean serving = new AtomicBoolean(true);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        ApplicationAvailability availability = mock(ApplicationAvailability.class);
        when(availability.getLivenessState()).thenReturn(LivenessState.CORRECT);
        when(models.resolve(any(), isNull())).thenReturn(new ServedModels.Target("mnist", null, null));
        when(models.route(any(), any())).thenReturn(new TrafficRouter.Routed(null, "default", null));
        GrpcInferenceService service = new GrpcInferenceService(models, predictor, () -> true, availability, "test");
        GrpcCallGuard guard = new GrpcCallGuard(new SecurityProperties(KEY, true), serving::get, meters);
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor().addService(ServerInterceptors.intercept(service, guard))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub(String header, String value) {
        GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
        if (header == null) {
            return stub;
        }
        Metadata metadata = new Metadata();
        metadata.put(Metadata.Key.of(header, Metadata.ASCII_STRING_MARSHALLER), value);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata));
    }

    /** One image of mid-grey FP32 pixels for the default model. */
    static ModelInferRequest oneImage() {
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        for (int i = 0; i < 784; i++) {
            contents.addFp32Contents(0.5f);
        }
        return ModelInferRequest.newBuilder().setModelName("mnist").addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                .setName("images").setDatatype("FP32").addShape(1).addShape(784).setContents(contents)).build();
    }

    @Test
    void inferenceNeedsTheKeyInEitherMetadataWhenPredictionsDo() {
        when(predictor.predictPixels(eq(PredictionProtocol.GRPC), isNull(), any(), anyBoolean())).thenReturn(new Predictor.Result("m",
                List.of(new Prediction(7, 0.9f, new float[10])), null));
        assertStatus(() -> stub(null, null).modelInfer(oneImage()), Status.Code.UNAUTHENTICATED, "x-api-key");
        assertStatus(() -> stub("x-api-key", "wrong").modelInfer(oneImage()), Status.Code.UNAUTHENTICATED, "wrong");
        assertThat(stub("x-api-key", KEY).modelInfer(oneImage()).getOutputs(1).getContents().getInt64Contents(0)).isEqualTo(7);
        assertThat(stub("authorization", "Bearer " + KEY).modelInfer(oneImage()).getOutputsCount()).isEqualTo(2);
        assertThat(stub(null, null).serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).as("no key for metadata").isTrue();
        assertThat(meters.get("deepmnist.grpc.calls").tags("protocol", "grpc", "method", "ModelInfer", "status", "UNAUTHENTICATED")
                .timer().count()).isEqualTo(2);
    }

    @Test
    void aFullBatchQueueIsResourceExhaustedAndAWarmUpUnavailable() {
        when(predictor.predictPixels(eq(PredictionProtocol.GRPC), isNull(), any(), anyBoolean())).thenThrow(new PredictionRejectedException(
                PredictionRejectedException.Reason.OVERLOADED, "256 requests already wait for model m (mnist.inference.batching.max-queue)"));
        assertStatus(() -> stub("x-api-key", KEY).modelInfer(oneImage()), Status.Code.RESOURCE_EXHAUSTED, "try again in a moment");
        serving.set(false);
        assertStatus(() -> stub("x-api-key", KEY).modelInfer(oneImage()), Status.Code.UNAVAILABLE, "warming up or shutting down");
        assertThat(stub(null, null).serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
    }

    /** The call fails with {@code code}, and its description says {@code description}. */
    static void assertStatus(Runnable call, Status.Code code, String description) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(description);
        });
    }
}
