package io.deepmnist.web.protocol.oip.grpc;

import io.deepmnist.dataset.MnistFile;
import io.deepmnist.inference.PredictionProtocol;
import io.deepmnist.inference.Predictor;
import io.deepmnist.inference.TrafficRouter.Routed;
import io.deepmnist.web.protocol.ProtocolBatch;
import io.deepmnist.web.protocol.RequestIds;
import io.deepmnist.web.protocol.ServedModels;
import io.deepmnist.web.protocol.oip.grpc.v2.GRPCInferenceServiceGrpc;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.InferParameter;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.ModelInferRequest;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.ModelInferResponse;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.ModelMetadataRequest;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.ModelMetadataResponse;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.ModelReadyRequest;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.ModelReadyResponse;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.ServerLiveRequest;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.ServerLiveResponse;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.ServerMetadataRequest;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.ServerMetadataResponse;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.ServerReadyRequest;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.ServerReadyResponse;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;

/**
 * The six RPCs of {@code inference.GRPCInferenceService}, on the same registry, names ({@link ServedModels}),
 * predictor and batching as the REST side. Failures become statuses in {@link GrpcStatuses}.
 */
final class GrpcInferenceService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

    static final String PLATFORM = "tensorflow_savedmodel";
    /** The answer's parameter with the images' prediction ids, comma-separated, for POST /predictions/{id}/feedback. */
    static final String PREDICTION_IDS = "prediction_ids";
    static final String SERVICE_NAME = GRPCInferenceServiceGrpc.SERVICE_NAME;

    private final ServedModels models;
    private final Predictor predictor;
    private final BooleanSupplier ready;
    private final ApplicationAvailability availability;
    private final String version;

    /** @param ready the readiness probe's answer, as REST's /v2/health/ready gives it */
    GrpcInferenceService(ServedModels models, Predictor predictor, BooleanSupplier ready, ApplicationAvailability availability,
                         String version) {
        this.models = models;
        this.predictor = predictor;
        this.ready = ready;
        this.availability = availability;
        this.version = version;
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> response) {
        answer(response, () -> ServerLiveResponse.newBuilder()
                .setLive(availability.getLivenessState() == LivenessState.CORRECT).build());
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> response) {
        answer(response, () -> ServerReadyResponse.newBuilder()
                .setReady(ready.getAsBoolean()).build());
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> response) {
        answer(response, () -> ModelReadyResponse.newBuilder()
                .setReady(models.ready(models.resolve(request.getName(), version(request.getVersion())))).build());
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> response) {
        answer(response, () -> ServerMetadataResponse.newBuilder().setName("deep-mnist-service").setVersion(version).build());
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> response) {
        answer(response, () -> {
            models.resolve(request.getName(), version(request.getVersion()));
            return ModelMetadataResponse.newBuilder().setName(request.getName()).addAllVersions(models.versions(request.getName()))
                    .setPlatform(PLATFORM)
                    .addInputs(tensor(GrpcTensors.INPUT, "FP32", List.of(-1L, (long) MnistFile.PIXELS)))
                    .addOutputs(tensor(GrpcTensors.PROBABILITIES, "FP32", List.of(-1L, (long) MnistFile.CLASSES)))
                    .addOutputs(tensor(GrpcTensors.DIGITS, "INT64", List.of(-1L)))
                    .build();
        });
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> response) {
        answer(response, () -> {
            ServedModels.Target target = models.resolve(request.getModelName(), version(request.getModelVersion()));
            ProtocolBatch batch = GrpcTensors.batch(request);
            List<String> outputs = GrpcTensors.outputs(request);
            Routed routed = models.route(target, GrpcRouting::header);
            Predictor.Result result = batch.predict(predictor, PredictionProtocol.GRPC, routed.model());
            GrpcRouting.tell(result.modelId(), routed);
            List<String> ids = models.answered(routed, result);
            ModelInferResponse.Builder answer = ModelInferResponse.newBuilder().setModelName(request.getModelName())
                    .setId(request.getId().isEmpty() ? RequestIds.next() : request.getId());
            if (!ids.isEmpty()) {
                answer.putParameters(PREDICTION_IDS, InferParameter.newBuilder()
                        .setStringParam(ids.stream().map(id -> id == null ? "-" : id).collect(Collectors.joining(","))).build());
            }
            String answered = models.version(result.modelId());
            if (answered != null) {
                answer.setModelVersion(answered);
            }
            GrpcTensors.addOutputs(answer, result.predictions(), outputs, GrpcTensors.binaryOutput(request));
            return answer.build();
        });
    }

    private static ModelMetadataResponse.TensorMetadata tensor(String name, String datatype, List<Long> shape) {
        return ModelMetadataResponse.TensorMetadata.newBuilder().setName(name).setDatatype(datatype).addAllShape(shape).build();
    }

    private static String version(String version) {
        return version == null || version.isEmpty() ? null : version;
    }

    private static <T> void answer(StreamObserver<T> response, Supplier<T> call) {
        T answer;
        try {
            answer = call.get();
        } catch (RuntimeException e) {
            response.onError(GrpcStatuses.of(e).asRuntimeException());
            return;
        }
        response.onNext(answer);
        response.onCompleted();
    }
}
