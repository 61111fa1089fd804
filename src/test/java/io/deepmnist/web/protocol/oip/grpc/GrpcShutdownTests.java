package io.deepmnist.web.protocol.oip.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.deepmnist.config.InferenceProperties;
import io.deepmnist.inference.Prediction;
import io.deepmnist.inference.PredictionProtocol;
import io.deepmnist.inference.Predictor;
import io.deepmnist.inference.TrafficRouter;
import io.deepmnist.web.http.SecurityProperties;
import io.deepmnist.web.protocol.ServedModels;
import io.deepmnist.web.protocol.oip.grpc.v2.GRPCInferenceServiceGrpc;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.ModelInferResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;

/** A stop lets the calls in flight finish and refuses new ones; the server listens again after a restart. */
class GrpcShutdownTests {

    @Test
    void aStopFinishesTheCallsInFlightAndRefusesNewOnes() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Predictor predictor = mock(Predictor.class);
        when(predictor.predictPixels(eq(PredictionProtocol.GRPC), isNull(), any(), anyBoolean())).thenAnswer(call -> {
            entered.countDown();
            release.await(30, TimeUnit.SECONDS);
            return new Predictor.Result("m", List.of(new Prediction(3, 0.9f, new float[10])), null);
        });
        ServedModels models = mock(ServedModels.class);
        when(models.resolve(any(), isNull())).thenReturn(new ServedModels.Target("mnist", null, null));
        when(models.route(any(), any())).thenReturn(new TrafficRouter.Routed(null, "default", null));
        StandardEnvironment environment = new StandardEnvironment();
        GrpcServer server = new GrpcServer(new GrpcProperties(0, Duration.ofSeconds(30)),
                Binder.get(environment).bindOrCreate("mnist.inference", InferenceProperties.class),
                new GrpcInferenceService(models, predictor, () -> true, mock(ApplicationAvailability.class), "test"),
                new GrpcCallGuard(new SecurityProperties("", false), () -> true, new SimpleMeterRegistry()), environment);
        server.start();
        int port = server.port();
        assertThat(environment.getProperty("local.grpc.port", Integer.class)).isEqualTo(port);
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub = GRPCInferenceServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(30, TimeUnit.SECONDS);
            CompletableFuture<ModelInferResponse> inFlight = CompletableFuture.supplyAsync(() -> stub.modelInfer(GrpcCallGuardTests.oneImage()));
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stop);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (server.isRunning() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            ManagedChannel late = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
            try {
                assertThatThrownBy(() -> GRPCInferenceServiceGrpc.newBlockingStub(late).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .modelInfer(GrpcCallGuardTests.oneImage())).isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            } finally {
                late.shutdownNow();
            }
            assertThat(stopping).isNotDone();
            release.countDown();
            assertThat(inFlight.get(30, TimeUnit.SECONDS).getOutputs(1).getContents().getInt64Contents(0)).isEqualTo(3);
            stopping.get(30, TimeUnit.SECONDS);

            server.start();
            assertThat(server.port()).as("a new server after a restart").isPositive();
            server.stop();
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
